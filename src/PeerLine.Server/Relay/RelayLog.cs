namespace PeerLine.Server.Relay;

/// <summary>Relay events: counts and codes only, never ciphertext. EventIds 1000–1999.</summary>
public static partial class RelayLog
{
    [LoggerMessage(1001, LogLevel.Debug, "Relay batch committed: {Stored} stored, {Acknowledged} acknowledgements, {Refused} refused")]
    public static partial void BatchCommitted(ILogger logger, int stored, int acknowledged, int refused);

    [LoggerMessage(1002, LogLevel.Warning, "Relay batch of {Count} failed: {ErrorKind}")]
    public static partial void BatchFailed(ILogger logger, int count, string errorKind);

    [LoggerMessage(1003, LogLevel.Warning, "Relay push failed: {ErrorKind}")]
    public static partial void PushFailed(ILogger logger, string errorKind);

    [LoggerMessage(1004, LogLevel.Warning, "Idle session check failed: {ErrorKind}")]
    public static partial void IdleCheckFailed(ILogger logger, string errorKind);
}
