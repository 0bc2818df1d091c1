namespace PeerLine.Server.Hubs;

/// <summary>Hub events: method names and codes only. EventIds 3000–3999.</summary>
public static partial class HubLog
{
    [LoggerMessage(3001, LogLevel.Information, "{Method} refused: {Code}")]
    public static partial void Refused(ILogger logger, string method, string code);

    [LoggerMessage(3002, LogLevel.Error, "{Method} failed: {ErrorKind}")]
    public static partial void Failed(ILogger logger, string method, string errorKind);

    [LoggerMessage(3004, LogLevel.Information, "{Method} refused {Count} more times in {Seconds} s: {Code}")]
    public static partial void RefusedRepeatedly(ILogger logger, string method, long count, int seconds, string code);
}
