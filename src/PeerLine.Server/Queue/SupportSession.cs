namespace PeerLine.Server.Queue;

public enum SessionState { Waiting = 0, Active = 1, Closed = 2, Withdrawn = 3, Abandoned = 4 }

public enum Topic { AdverseEvent = 0, PatientDeath = 1, LitigationOrComplaint = 2, Burnout = 3, Other = 4 }

/// <summary>Higher value, earlier in the queue.</summary>
public enum Priority { Routine = 0, Soon = 1, Crisis = 2 }

public enum Disposition
{
    None = 0, Supported = 1, ReferredTier3 = 2, ResourcesShared = 3, HandedTo988 = 4, HandedTo911 = 5,
    CallerLeft = 6, NotASupportRequest = 7, Other = 8,
}

/// <summary>
/// One anonymous request for support. Every column is a code, a count, a random value or a time: nothing
/// a caller typed. <see cref="Number"/> is the internal insertion order (FIFO within a priority).
/// </summary>
public sealed class SupportSession
{
    public long Number { get; set; }
    public required string Id { get; set; }
    public required byte[] CallerSecretHash { get; set; }
    public Topic Topic { get; set; }
    public Priority Priority { get; set; }
    public SessionState State { get; set; }
    public Disposition Disposition { get; set; }
    /// <summary>Handed back by a supporter: goes ahead of others of the same priority.</summary>
    public bool Returned { get; set; }
    /// <summary>A return code reserved it for the caller's earlier supporter (recorded in the audit trail if it is claimed).</summary>
    public bool Returning { get; set; }

    public long RequestedAt { get; set; }
    public long? ClaimedAt { get; set; }
    public long? ClosedAt { get; set; }
    /// <summary>Queue position when the request arrived: turns recent waits into "seconds per place".</summary>
    public int PositionAtRequest { get; set; }

    public string? SupporterId { get; set; }
    public string? OfferedTo { get; set; }
    public long? OfferExpiresAt { get; set; }
    public string? LastOfferedTo { get; set; }

    /// <summary>Random per-connection marker of the caller's current connection, so a stale disconnect is ignored.</summary>
    public string? CallerConnection { get; set; }
    public long? CallerAwaySince { get; set; }

    public long CallerSentSeq { get; set; }
    public long SupporterSentSeq { get; set; }
    public long CallerAckedSeq { get; set; }
    public long SupporterAckedSeq { get; set; }

    /// <summary>A lead the caller let in (their own encrypted lane), and a lead the supporter asked for, awaiting the caller's answer.</summary>
    public string? LeadId { get; set; }
    public string? LeadInvitedId { get; set; }
    public long CallerToLeadSentSeq { get; set; }
    public long LeadSentSeq { get; set; }
    /// <summary>Caller→lead messages the lead acknowledged, and lead→caller messages the caller acknowledged.</summary>
    public long CallerToLeadAckedSeq { get; set; }
    public long LeadAckedSeq { get; set; }
    public int Transfers { get; set; }
    /// <summary>The caller answered the post-chat questions (counted in FeedbackCounts, never linked to this row).</summary>
    public bool FeedbackGiven { get; set; }
}
