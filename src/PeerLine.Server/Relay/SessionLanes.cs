using PeerLine.Server.Queue;

namespace PeerLine.Server.Relay;

/// <summary>
/// A session's four directions: caller↔supporter and caller↔lead. Which counters belong to which direction, and which
/// staff member is at the far end of it.
/// </summary>
public static class SessionLanes
{
    public static bool TowardCaller(Direction d) => d is Direction.SupporterToCaller or Direction.LeadToCaller;

    /// <summary>The staff member at the staff end of a direction (null while no lead is in the session).</summary>
    public static string? StaffOf(SupportSession s, Direction d) => d is Direction.CallerToLead or Direction.LeadToCaller ? s.LeadId : s.SupporterId;

    /// <summary>The direction a staff member sends in, or null when they are neither the supporter nor the lead.</summary>
    public static Direction? SentBy(SupportSession s, string staffId) =>
        s.SupporterId == staffId ? Direction.SupporterToCaller : s.LeadId == staffId ? Direction.LeadToCaller : null;

    /// <summary>The direction a staff member receives, or null.</summary>
    public static Direction? ReceivedBy(SupportSession s, string staffId) =>
        s.SupporterId == staffId ? Direction.CallerToSupporter : s.LeadId == staffId ? Direction.CallerToLead : null;

    public static long Sent(SupportSession s, Direction d) => d switch
    {
        Direction.CallerToSupporter => s.CallerSentSeq,
        Direction.SupporterToCaller => s.SupporterSentSeq,
        Direction.CallerToLead => s.CallerToLeadSentSeq,
        _ => s.LeadSentSeq,
    };

    public static void SetSent(SupportSession s, Direction d, long seq)
    {
        switch (d)
        {
            case Direction.CallerToSupporter: s.CallerSentSeq = seq; break;
            case Direction.SupporterToCaller: s.SupporterSentSeq = seq; break;
            case Direction.CallerToLead: s.CallerToLeadSentSeq = seq; break;
            default: s.LeadSentSeq = seq; break;
        }
    }

    /// <summary>The highest seq of this direction its recipient acknowledged.</summary>
    public static long Acked(SupportSession s, Direction d) => d switch
    {
        Direction.CallerToSupporter => s.CallerAckedSeq,
        Direction.SupporterToCaller => s.SupporterAckedSeq,
        Direction.CallerToLead => s.CallerToLeadAckedSeq,
        _ => s.LeadAckedSeq,
    };

    public static void SetAcked(SupportSession s, Direction d, long seq)
    {
        var value = Math.Max(Acked(s, d), seq);
        switch (d)
        {
            case Direction.CallerToSupporter: s.CallerAckedSeq = value; break;
            case Direction.SupporterToCaller: s.SupporterAckedSeq = value; break;
            case Direction.CallerToLead: s.CallerToLeadAckedSeq = value; break;
            default: s.LeadAckedSeq = value; break;
        }
    }
}
