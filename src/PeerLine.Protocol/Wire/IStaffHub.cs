namespace PeerLine.Protocol.Wire;

/// <summary>Methods a supporter or lead invokes on <see cref="HubRoutes.Staff"/>; arguments and failures: docs/protocol.md §4.</summary>
public interface IStaffHub
{
    /// <summary>Starts a shift or changes its capacity (protocol.md §4).</summary>
    Task<ShiftStatus> StartShift(int? capacity);

    /// <summary>Ends the shift; held sessions stay (protocol.md §4).</summary>
    Task<ShiftStatus> EndShift();

    /// <summary>The live queue (protocol.md §4).</summary>
    Task<QueueSnapshot> GetQueue();

    /// <summary>Claims the head of the queue (protocol.md §4).</summary>
    Task<SessionView> ClaimNext();

    /// <summary>Claims a chosen waiting session (protocol.md §4).</summary>
    Task<SessionView> Claim(string sessionId);

    /// <summary>Declines an offer made to you (protocol.md §4).</summary>
    Task DeclineOffer(string sessionId);

    /// <summary>Records the kind of a resource card sent end to end (protocol.md §4).</summary>
    Task ShareResource(string sessionId, string kind);

    /// <summary>Views of the sessions you hold, then those you joined as a lead (protocol.md §4).</summary>
    Task<IReadOnlyList<SessionView>> Resume();

    /// <summary>Sends one envelope toward the caller (protocol.md §4, §7).</summary>
    Task SendCiphertext(string sessionId, Guid messageId, long seq, byte[] ciphertext);

    /// <summary>Acknowledges the caller's messages (protocol.md §4, §7).</summary>
    Task Acknowledge(string sessionId, long upToSeq);

    /// <summary>Asks the caller whether a lead may join (protocol.md §4).</summary>
    Task InviteLead(string sessionId, string leadLogin);

    /// <summary>A lead leaves a session they joined (protocol.md §4).</summary>
    Task LeaveSession(string sessionId);

    /// <summary>Closes a session with a disposition (protocol.md §4).</summary>
    Task CloseSession(string sessionId, string disposition);

    /// <summary>Hands a session to a named supporter, or back to the queue when toLogin is null (protocol.md §4).</summary>
    Task Transfer(string sessionId, string? toLogin);
}
