namespace PeerLine.Server.Supervision;

internal static partial class SupervisionLog
{
    [LoggerMessage(11001, LogLevel.Information, "Lead {Change}")]
    public static partial void Changed(ILogger logger, string change);
}
