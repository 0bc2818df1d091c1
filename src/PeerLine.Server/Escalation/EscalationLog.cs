namespace PeerLine.Server.Escalation;

internal static partial class EscalationLog
{
    [LoggerMessage(7001, LogLevel.Warning, "Crisis alert: {Leads} on-shift leads alerted, {Waiting} crisis requests waiting")]
    public static partial void CrisisRequested(ILogger logger, int leads, int waiting);

    [LoggerMessage(7002, LogLevel.Information, "Resources offered to waiting callers ({Reason})")]
    public static partial void ResourcesOffered(ILogger logger, string reason);

    [LoggerMessage(7003, LogLevel.Information, "Resource card shared ({Kind})")]
    public static partial void ResourceShared(ILogger logger, string kind);

    [LoggerMessage(7004, LogLevel.Error, "Crisis alert could not be sent: {ErrorKind}")]
    public static partial void CrisisAlertFailed(ILogger logger, string errorKind);
}
