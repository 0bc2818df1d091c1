namespace PeerLine.Server.Metrics;

/// <summary>
/// How many callers gave one answer to one post-chat question in one week. Only counts are kept: no row says which
/// session, supporter or hour an answer came from.
/// </summary>
public sealed class FeedbackCount
{
    /// <summary>Monday 00:00 UTC of the week, Unix milliseconds.</summary>
    public long WeekStart { get; set; }
    public required string Question { get; set; }
    public required string Answer { get; set; }
    public long Count { get; set; }
}
