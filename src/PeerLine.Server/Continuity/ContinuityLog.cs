namespace PeerLine.Server.Continuity;

internal static partial class ContinuityLog
{
    [LoggerMessage(10001, LogLevel.Information, "Return code taken")]
    public static partial void CodeTaken(ILogger logger);

    [LoggerMessage(10002, LogLevel.Information, "Return code used ({Route})")]
    public static partial void CodeUsed(ILogger logger, string route);

    [LoggerMessage(10003, LogLevel.Information, "Return code not valid")]
    public static partial void CodeRefused(ILogger logger);
}
