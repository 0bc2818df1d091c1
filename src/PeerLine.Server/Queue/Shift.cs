namespace PeerLine.Server.Queue;

/// <summary>
/// A supporter's shift state: one row per supporter, reused across shifts. <see cref="ActiveSessions"/> is
/// changed only by conditional updates, so capacity holds even when several nodes claim at once.
/// </summary>
public sealed class Shift
{
    public long Id { get; set; }
    public required string SupporterId { get; set; }
    public bool OnShift { get; set; }
    public int Capacity { get; set; }
    public int ActiveSessions { get; set; }
    public long StartedAt { get; set; }
    /// <summary>When this supporter last got a session or freed a slot: "longest idle first" for offers.</summary>
    public long IdleSince { get; set; }
}
