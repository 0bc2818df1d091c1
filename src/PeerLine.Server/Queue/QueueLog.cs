namespace PeerLine.Server.Queue;

/// <summary>Queue events: codes and counts only. EventIds 2000–2999.</summary>
public static partial class QueueLog
{
    [LoggerMessage(2001, LogLevel.Information, "Support requested with priority {Priority}")]
    public static partial void Requested(ILogger logger, string priority);

    [LoggerMessage(2002, LogLevel.Information, "Session claimed after waiting {WaitSeconds}s")]
    public static partial void Claimed(ILogger logger, long waitSeconds);

    [LoggerMessage(2003, LogLevel.Information, "Session offered with priority {Priority}")]
    public static partial void Offered(ILogger logger, string priority);

    [LoggerMessage(2004, LogLevel.Information, "Session ended as {State} by {Party}")]
    public static partial void Ended(ILogger logger, string state, string party);

    [LoggerMessage(2005, LogLevel.Information, "Session transferred ({Kind})")]
    public static partial void Transferred(ILogger logger, string kind);

    [LoggerMessage(2006, LogLevel.Information, "Sweep: {Abandoned} abandoned, {OffersExpired} offers expired, {Purged} leftover messages purged")]
    public static partial void Swept(ILogger logger, int abandoned, int offersExpired, int purged);

    [LoggerMessage(2007, LogLevel.Information, "Shift {Change} with capacity {Capacity}")]
    public static partial void ShiftChanged(ILogger logger, string change, int capacity);

    [LoggerMessage(2009, LogLevel.Warning, "Queue notification pass failed: {ErrorKind}")]
    public static partial void NotifyFailed(ILogger logger, string errorKind);

    [LoggerMessage(2010, LogLevel.Warning, "Queue sweep failed: {ErrorKind}")]
    public static partial void SweepFailed(ILogger logger, string errorKind);

    /// <summary>The caller of an active session went away or came back (<paramref name="change"/>: away, back). No session id.</summary>
    [LoggerMessage(2011, LogLevel.Information, "Caller of an active session is {Change}")]
    public static partial void CallerPresence(ILogger logger, string change);
}
