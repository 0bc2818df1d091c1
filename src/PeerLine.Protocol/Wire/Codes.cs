namespace PeerLine.Protocol.Wire;

/// <summary>Coded topics a caller may choose; nothing else about the caller reaches the server.</summary>
public static class Topics
{
    public const string AdverseEvent = "adverse-event";
    public const string PatientDeath = "patient-death";
    public const string LitigationOrComplaint = "litigation-or-complaint";
    public const string Burnout = "burnout";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [AdverseEvent, PatientDeath, LitigationOrComplaint, Burnout, Other];
}

/// <summary>How soon a caller needs someone, decided by the self-screen on the caller's own device.</summary>
public static class Priorities
{
    public const string Routine = "routine";
    public const string Soon = "soon";
    public const string Crisis = "crisis";

    public static readonly IReadOnlyList<string> All = [Routine, Soon, Crisis];
}

/// <summary>The life of a session as clients see it.</summary>
public static class SessionStates
{
    public const string Waiting = "waiting";
    public const string Active = "active";
    public const string Closed = "closed";
    public const string Withdrawn = "withdrawn";
    public const string Abandoned = "abandoned";
}

/// <summary>
/// What kind of help an escalation resource is. The server records only this code when a supporter shares a resource
/// in a chat (the card itself travels end to end).
/// </summary>
public static class ResourceKinds
{
    public const string CrisisLine = "crisis-line";
    public const string Emergency = "emergency";
    public const string PhysicianSupportLine = "physician-support-line";
    public const string Eap = "eap";
    public const string Therapy = "therapy";
    public const string OptOutTherapy = "opt-out-therapy";
    public const string PeerMentoring = "peer-mentoring";
    public const string Coaching = "coaching";
    public const string BalintGroup = "balint-group";
    public const string SchwartzRounds = "schwartz-rounds";
    public const string MedicalImprov = "medical-improv";
    public const string SupportGroup = "support-group";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All =
    [
        CrisisLine, Emergency, PhysicianSupportLine, Eap, Therapy, OptOutTherapy, PeerMentoring, Coaching, BalintGroup, SchwartzRounds,
        MedicalImprov, SupportGroup, Other,
    ];
}

/// <summary>When an escalation resource is open (hours.kind of a directory entry, GET /api/directory).</summary>
public static class HoursKinds
{
    public const string Always = "always";
    public const string Weekly = "weekly";
    /// <summary>By appointment only: never "open now".</summary>
    public const string ByAppointment = "by-appointment";
}

/// <summary>Why a waiting caller is shown escalation resources (QueueStatus.resources).</summary>
public static class ResourceReasons
{
    /// <summary>The self-screen said crisis: the crisis lines, at once.</summary>
    public const string Crisis = "crisis";
    /// <summary>Nobody is on shift: the resources open now.</summary>
    public const string NobodyOnShift = "nobody-on-shift";
    /// <summary>Outside the line's coverage hours: the resources open now.</summary>
    public const string OutsideHours = "outside-hours";
    /// <summary>Waiting past Routing:LongWaitMinutes: the resources open now, while the caller keeps their place.</summary>
    public const string LongWait = "long-wait";
}

/// <summary>Who a SessionView is for.</summary>
public static class SessionRoles
{
    public const string Caller = "caller";
    public const string Supporter = "supporter";
    public const string Lead = "lead";
}

/// <summary>Where a return code led a new request (SessionTicket.Return).</summary>
public static class ReturnRoutes
{
    /// <summary>The earlier supporter is on shift: the session is offered to them first, for Continuity:ReserveSeconds.</summary>
    public const string SameSupporter = "same-supporter";
    /// <summary>The earlier supporter is not on shift: the normal queue.</summary>
    public const string SupporterAway = "supporter-away";
    /// <summary>Unknown, expired or used up: the normal queue.</summary>
    public const string CodeNotValid = "code-not-valid";
}

/// <summary>Why a supporter (and the leads on shift) get a WellbeingNotice.</summary>
public static class WellbeingNotices
{
    /// <summary>The shift is nearing Wellbeing:MaxShiftMinutes.</summary>
    public const string ShiftLong = "shift-long";
    /// <summary>The server ended the shift at Wellbeing:MaxShiftMinutes (chats already held stay).</summary>
    public const string ShiftEnded = "shift-ended";
    /// <summary>The server ended the shift at the weekly hours cap.</summary>
    public const string WeeklyCap = "weekly-cap";
    /// <summary>The supporter just finished a crisis session: time for a debrief.</summary>
    public const string DebriefSuggested = "debrief-suggested";
}

/// <summary>How a supporter codes the end of a session. There is no free-text field.</summary>
public static class Dispositions
{
    public const string Supported = "supported";
    public const string ReferredTier3 = "referred-tier3";
    public const string ResourcesShared = "resources-shared";
    public const string HandedTo988 = "handed-to-988";
    public const string HandedTo911 = "handed-to-911";
    public const string CallerLeft = "caller-left";
    public const string NotASupportRequest = "not-a-support-request";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All =
        [Supported, ReferredTier3, ResourcesShared, HandedTo988, HandedTo911, CallerLeft, NotASupportRequest, Other];
}

/// <summary>Which side of a session sent a message.</summary>
public static class Directions
{
    public const string CallerToSupporter = "caller-to-supporter";
    public const string SupporterToCaller = "supporter-to-caller";
}

/// <summary>
/// The two anonymous questions after a chat ends, with their coded answers. The server only counts answers per
/// week: no answer is linked to a session, a supporter or a time finer than the week.
/// </summary>
public static class FeedbackQuestions
{
    /// <summary>"Did talking here help?"</summary>
    public const string Helped = "helped";
    /// <summary>"Would you reach out to PeerLine again?"</summary>
    public const string WouldReturn = "would-return";

    public static readonly IReadOnlyList<(string Question, IReadOnlyList<string> Answers)> Answers =
    [
        (Helped, [FeedbackAnswers.Yes, FeedbackAnswers.Somewhat, FeedbackAnswers.No]),
        (WouldReturn, [FeedbackAnswers.Yes, FeedbackAnswers.Maybe, FeedbackAnswers.No]),
    ];
}

/// <summary>The coded answers to <see cref="FeedbackQuestions"/> (which question takes which: FeedbackQuestions.Answers).</summary>
public static class FeedbackAnswers
{
    public const string Yes = "yes";
    public const string Somewhat = "somewhat";
    public const string Maybe = "maybe";
    public const string No = "no";
}

/// <summary>Error codes a hub call or REST call can fail with. Messages carry the code only.</summary>
public static class ErrorCodes
{
    public const string InvalidArgument = "invalid-argument";
    public const string NotFound = "not-found";
    public const string NotAllowed = "not-allowed";
    public const string WrongState = "wrong-state";
    public const string QueueFull = "queue-full";
    public const string QueueEmpty = "queue-empty";
    public const string AlreadyClaimed = "already-claimed";
    public const string NoCapacity = "no-capacity";
    public const string NotOnShift = "not-on-shift";
    /// <summary>StartShift refused: the supporter's hours in the last seven days reached Wellbeing:WeeklyHoursCap.</summary>
    public const string WeeklyCapReached = "weekly-cap-reached";
    public const string TooLarge = "too-large";
    public const string SequenceGap = "sequence-gap";
    public const string RateLimited = "rate-limited";
    public const string Unavailable = "unavailable";
    public const string Internal = "internal";
    public const string InvalidCredentials = "invalid-credentials";
    /// <summary>RequestSupport/RequestReturn: the proof of work is missing, wrong, reused or expired; fetch a new Challenge.</summary>
    public const string PuzzleFailed = "puzzle-failed";
    /// <summary>Too many requests waiting or made from the caller's network address (counted in memory only).</summary>
    public const string SourceLimit = "source-limit";
    /// <summary>SendCiphertext/SendToLead: the recipient holds too much unacknowledged ciphertext; resend after an acknowledgement.</summary>
    public const string HeldFull = "held-full";
}

/// <summary>Reasons sent with <see cref="SessionChange"/>.</summary>
public static class ChangeReasons
{
    public const string Claimed = "claimed";
    public const string ClosedBySupporter = "closed-by-supporter";
    public const string ClosedByCaller = "closed-by-caller";
    public const string Withdrawn = "withdrawn";
    public const string Abandoned = "abandoned";
    public const string ReturnedToQueue = "returned-to-queue";
    public const string Transferred = "transferred";
    public const string TransferredAway = "transferred-away";
    public const string TransferredToYou = "transferred-to-you";
    /// <summary>The caller let a lead in: to the caller, the supporter and the lead (who then resumes to get the session).</summary>
    public const string LeadJoined = "lead-joined";
    /// <summary>The caller said no to the lead: to the supporter only. Nothing else changes.</summary>
    public const string LeadDeclined = "lead-declined";
    /// <summary>The lead left, or was removed by a transfer: to the caller, the supporter and the lead.</summary>
    public const string LeadLeft = "lead-left";
    /// <summary>An active session whose caller and staff were all gone for Relay:IdleSessionHours was closed.</summary>
    public const string ClosedIdle = "closed-idle";
}

/// <summary>The roles a staff login can have (StaffIdentity.Roles; the role names of the admin commands).</summary>
public static class StaffRoles
{
    public const string Supporter = "supporter";
    public const string Lead = "lead";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Supporter, Lead, Auditor, Admin];
}

/// <summary>Where a staff device key stands (the status of POST/GET /api/staff/device-key).</summary>
public static class DeviceKeyStatuses
{
    /// <summary>Enrolled, waiting for an admin's certificate.</summary>
    public const string AwaitingCertification = "awaiting-certification";
    public const string Certified = "certified";
    public const string Revoked = "revoked";
}

/// <summary>The status of GET /healthz and GET /readyz.</summary>
public static class HealthStatuses
{
    public const string Alive = "alive";
    public const string Ready = "ready";
    public const string DatabaseUnreachable = "database-unreachable";
}

/// <summary>The closed set of audit event kinds (GET /api/audit/kinds, the kind filter of GET /api/audit/events, the export).</summary>
public static class AuditKinds
{
    public const string SessionRequested = "session-requested";
    public const string SessionOffered = "session-offered";
    public const string SessionClaimed = "session-claimed";
    public const string SessionTransferred = "session-transferred";
    public const string SessionClosed = "session-closed";
    public const string DispositionRecorded = "disposition-recorded";
    public const string SessionAbandoned = "session-abandoned";
    public const string ResourceOffered = "resource-offered";
    public const string CrisisAlert = "crisis-alert";
    public const string RequestsHourly = "requests-hourly";
    public const string LeadJoined = "lead-joined";
    public const string StaffAdded = "staff-added";
    public const string StaffLogin = "staff-login";
    public const string StaffLoginFailed = "staff-login-failed";
    public const string StaffLoginThrottled = "staff-login-throttled";
    public const string ShiftStarted = "shift-started";
    public const string ShiftEnded = "shift-ended";
    public const string RoleChanged = "role-changed";
    public const string StaffDisabled = "staff-disabled";
    public const string KeyCertified = "key-certified";
    public const string KeyRevoked = "key-revoked";
    public const string ExportMade = "export-made";
    public const string RetentionRun = "retention-run";

    public static readonly IReadOnlyList<string> All =
    [
        SessionRequested, SessionOffered, SessionClaimed, SessionTransferred, SessionClosed, DispositionRecorded, SessionAbandoned,
        ResourceOffered, CrisisAlert, RequestsHourly, LeadJoined, StaffAdded, StaffLogin, StaffLoginFailed, StaffLoginThrottled, ShiftStarted,
        ShiftEnded, RoleChanged, StaffDisabled, KeyCertified, KeyRevoked, ExportMade, RetentionRun,
    ];
}

/// <summary>The ids of the weekly tables of GET /api/metrics.</summary>
public static class MetricTables
{
    private const string FeedbackPrefix = "feedback-";

    /// <summary>Requests by what became of them in their week (columns: <see cref="MetricColumns"/>).</summary>
    public const string Sessions = "sessions";
    /// <summary>Closed chats by disposition (columns: Dispositions, and <see cref="MetricColumns.NoDisposition"/>).</summary>
    public const string Dispositions = "dispositions";
    /// <summary>Resource cards shared, by kind (columns: ResourceKinds).</summary>
    public const string Resources = "resources";
    /// <summary>Answers to <see cref="FeedbackQuestions.Helped"/> (columns: its answers).</summary>
    public const string FeedbackHelped = FeedbackPrefix + FeedbackQuestions.Helped;
    /// <summary>Answers to <see cref="FeedbackQuestions.WouldReturn"/> (columns: its answers).</summary>
    public const string FeedbackWouldReturn = FeedbackPrefix + FeedbackQuestions.WouldReturn;

    /// <summary>The table of one feedback question's answers.</summary>
    public static string Feedback(string question) => FeedbackPrefix + question;
}

/// <summary>Columns of GET /api/metrics tables that no other code class names.</summary>
public static class MetricColumns
{
    /// <summary>Sessions table: claimed in the week of the request.</summary>
    public const string Answered = "answered";
    /// <summary>Sessions table: withdrawn or abandoned in that week.</summary>
    public const string Abandoned = "abandoned";
    /// <summary>Sessions table: still waiting at the week's end.</summary>
    public const string Open = "open";
    /// <summary>Dispositions table, and the disposition of an audit record: closed with no disposition recorded.</summary>
    public const string NoDisposition = "none";
}
