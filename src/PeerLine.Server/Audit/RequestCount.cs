namespace PeerLine.Server.Audit;

/// <summary>
/// What happened to requests in one hour, counted in place until the hour is over and written to the trail as one
/// <c>requests-hourly</c> event (then deleted). Counts only: no row says which session, supporter or caller.
/// </summary>
public sealed class RequestCount
{
    /// <summary>The hour's start, Unix milliseconds (UTC).</summary>
    public long HourStart { get; set; }

    /// <summary>Requests made in the hour, by priority.</summary>
    public long Routine { get; set; }
    public long Soon { get; set; }
    public long Crisis { get; set; }

    /// <summary>Requests that ended in the hour before anyone claimed them: the caller left the queue, or was away past the grace period.</summary>
    public long Withdrawn { get; set; }
    public long Abandoned { get; set; }

    /// <summary>Crisis alerts sent to the leads on shift (each one covers a window of crisis requests).</summary>
    public long CrisisAlerts { get; set; }
}
