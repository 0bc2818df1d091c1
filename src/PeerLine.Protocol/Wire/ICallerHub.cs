namespace PeerLine.Protocol.Wire;

/// <summary>Methods a caller invokes on <see cref="HubRoutes.Caller"/>; arguments and failures: docs/protocol.md §3.</summary>
public interface ICallerHub
{
    /// <summary>A fresh proof-of-work challenge for the next request (protocol.md §3).</summary>
    Task<PuzzleChallenge> Challenge();

    /// <summary>Asks for support with a solved challenge; binds the connection to the new session (protocol.md §3).</summary>
    Task<SessionTicket> RequestSupport(string topic, string priority, PuzzleProof proof);

    /// <summary>Asks for support with a return code's lookup value and a solved challenge (protocol.md §3).</summary>
    Task<SessionTicket> RequestReturn(string topic, string priority, byte[] returnLookup, PuzzleProof proof);

    /// <summary>Takes a return code for the supporter holding this session (protocol.md §3).</summary>
    Task<ReturnCodeInfo> RegisterReturnCode(string sessionId, byte[] returnLookup);

    /// <summary>Rebinds the connection to a session it holds the secret of (protocol.md §3).</summary>
    Task<SessionView> Resume(string sessionId, string callerSecret);

    /// <summary>Sends one caller→supporter envelope (protocol.md §3, §7).</summary>
    Task SendCiphertext(string sessionId, Guid messageId, long seq, byte[] ciphertext);

    /// <summary>Acknowledges supporter→caller messages (protocol.md §3, §7).</summary>
    Task Acknowledge(string sessionId, long upToSeq);

    /// <summary>The roster certificate of the supporter holding the session (protocol.md §3).</summary>
    Task<byte[]> SupporterCertificate(string sessionId);

    /// <summary>Answers LeadInvited (protocol.md §3).</summary>
    Task AnswerLeadInvitation(string sessionId, bool accept);

    /// <summary>The roster certificate of the lead in the session (protocol.md §3).</summary>
    Task<byte[]> LeadCertificate(string sessionId);

    /// <summary>Sends one caller→lead envelope (protocol.md §3, §7).</summary>
    Task SendToLead(string sessionId, Guid messageId, long seq, byte[] ciphertext);

    /// <summary>Acknowledges lead→caller messages (protocol.md §3, §7).</summary>
    Task AcknowledgeLead(string sessionId, long upToSeq);

    /// <summary>Withdraws the request or closes the session (protocol.md §3).</summary>
    Task EndSession(string sessionId);

    /// <summary>Answers the anonymous post-chat questions (protocol.md §3).</summary>
    Task GiveFeedback(string sessionId, Dictionary<string, string> answers);
}
