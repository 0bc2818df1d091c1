namespace PeerLine.Protocol.Wire;

/// <summary>One opaque, already-encrypted message. <see cref="Seq"/> counts from 1 per session and direction.</summary>
public sealed record RelayEnvelope(string SessionId, Guid MessageId, long Seq, byte[] Ciphertext);

/// <summary>Where a waiting caller stands. Position counts from 1; the wait is null until there is history to estimate from.</summary>
/// <param name="Resources">Why the caller should be shown escalation resources now (a ResourceReasons code), or null.</param>
/// <param name="AwayGraceMinutes">While waiting: how many minutes a caller without a connection keeps their place
/// (Queue:AwayGraceMinutes) before the request is abandoned; null in every other state.</param>
public sealed record QueueStatus(string State, int? Position, int? ExpectedWaitSeconds, string? Resources = null, int? AwayGraceMinutes = null);

/// <summary>Returned once, to the caller who asked: the secret is the caller's only credential and is never shown again.</summary>
/// <param name="Return">For RequestReturn only: where the return code led (a ReturnRoutes code); null for RequestSupport.</param>
public sealed record SessionTicket(string SessionId, string CallerSecret, QueueStatus Queue, string? Return = null);

/// <summary>
/// A party's view of one session after it (re)joined: the last sequence number the server accepted from this
/// party, and the last sequence number this party acknowledged. Unacknowledged messages follow as MessageReceived.
/// </summary>
/// <param name="Role">For staff: "supporter" (holds the session) or "lead" (joined with the caller's consent); the
/// sequence numbers are then those of that staff member's own direction pair. Always "caller" for the caller.</param>
/// <param name="Lead">For the caller: the lead lane (null when no lead was ever in this session).</param>
/// <param name="Holder">Which holder of the session this is: 0 until it is first claimed, then one more at every
/// handover (a return to the queue, counted at the return so that the next claim brings a new number; a transfer to a
/// named supporter). The same in every party's view; a caller whose channel was made for another holder needs a new
/// handshake.</param>
/// <param name="PeerReceivedSeq">The highest seq of this party's own outgoing direction that the other side acknowledged
/// (caller: caller→supporter; supporter: supporter→caller; lead: lead→caller). The same as the last delivery receipt.</param>
/// <param name="CallerPresent">Whether the caller has a connection now (always true in the caller's own view).</param>
public sealed record SessionView(
    string SessionId,
    string State,
    string Topic,
    string Priority,
    long LastSentSeq,
    long LastReceivedSeq,
    QueueStatus Queue,
    string Role = SessionRoles.Supporter,
    LeadLane? Lead = null,
    int Holder = 0,
    long PeerReceivedSeq = 0,
    bool CallerPresent = true);

/// <summary>
/// The caller's lane with a lead: whether a lead is in the session now, and the sequence numbers of that lane
/// (<see cref="PeerReceivedSeq"/>: the highest caller→lead seq the lead acknowledged).
/// </summary>
public sealed record LeadLane(bool Joined, long LastSentSeq, long LastReceivedSeq, long PeerReceivedSeq = 0);

/// <summary>
/// To the supporter holding an active session and to the lead in it: the caller's connection went away
/// (<see cref="Present"/> false) or the caller is back (true). The chat goes on when they return.
/// </summary>
public sealed record CallerPresence(string SessionId, bool Present);

/// <summary>To the caller: the supporter asks whether a lead may join. Answer with AnswerLeadInvitation.</summary>
public sealed record LeadInvitation(string SessionId);

/// <summary>A waiting request as supporters see it: codes and times, never content.</summary>
public sealed record QueueEntry(string SessionId, string Topic, string Priority, int WaitingSeconds, bool Offered);

/// <summary>The live queue for staff: counts per priority and the first entries in queue order.</summary>
public sealed record QueueSnapshot(int Waiting, int Crisis, int Soon, int Routine, int OnShift, IReadOnlyList<QueueEntry> Head);

/// <summary>A supporter's shift as the server sees it.</summary>
public sealed record ShiftStatus(bool OnShift, int Capacity, int ActiveSessions);

/// <summary>Pushed to a party when its session changes state (claimed, transferred, closed...).</summary>
public sealed record SessionChange(string SessionId, string State, string Reason);

/// <summary>Pushed to a supporter in push mode: take this session before the offer expires.</summary>
public sealed record SessionOffer(string SessionId, string Topic, string Priority, int WaitingSeconds, int ExpiresInSeconds, bool Returning = false);

/// <summary>Pushed to a sender when the recipient acknowledged its messages up to and including <see cref="UpToSeq"/>.</summary>
public sealed record DeliveryReceipt(string SessionId, long UpToSeq);

/// <summary>REST: a staff login (POST /api/staff/login for a cookie, POST /api/staff/token for a bearer token).</summary>
public sealed record StaffLogin(string Login, string Password);

/// <summary>REST: who is signed in.</summary>
public sealed record StaffIdentity(string Login, IReadOnlyList<string> Roles);

/// <summary>REST: the body of every refusal.</summary>
public sealed record ErrorBody(string Code);

/// <summary>
/// To on-shift leads: crisis requests are waiting (codes and counts only). Alerts are coalesced: at most one per
/// Escalation:CrisisAlertWindowSeconds, naming the latest crisis request and how many crisis requests wait in all.
/// </summary>
public sealed record CrisisAlert(string SessionId, string Topic, int WaitingSeconds, int Waiting = 1);

/// <summary>
/// A proof-of-work challenge (protocol.md §3): find a Nonce such that PBKDF2-HMAC-SHA256(password = Nonce,
/// salt = Challenge, Iterations, 32 bytes) begins with Bits zero bits, within ExpiresInSeconds. Single use.
/// </summary>
public sealed record PuzzleChallenge(byte[] Challenge, int Bits, int Iterations, int ExpiresInSeconds);

/// <summary>The solution sent with RequestSupport or RequestReturn: the challenge as received and a nonce of 8 bytes.</summary>
public sealed record PuzzleProof(byte[] Challenge, byte[] Nonce);

/// <summary>
/// To a supporter about their own well-being, and to the leads on shift about that supporter (Kind is a WellbeingNotices
/// code; minutes are whole minutes on the current shift and in the last seven days).
/// </summary>
public sealed record WellbeingNotice(string Kind, string Login, int ShiftMinutes, int WeekMinutes);

/// <summary>RegisterReturnCode's answer: how many more conversations the code opens, and for how many days.</summary>
public sealed record ReturnCodeInfo(int MeetingsLeft, int ValidDays);
