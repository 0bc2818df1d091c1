namespace PeerLine.Protocol.Wire;

/// <summary>Where the two hubs live. The caller hub is anonymous; the staff hub needs a staff login.</summary>
public static class HubRoutes
{
    public const string Caller = "/hubs/caller";
    public const string Staff = "/hubs/staff";
}

/// <summary>Hub methods a caller invokes (verbs).</summary>
public static class CallerMethods
{
    public const string RequestSupport = nameof(RequestSupport);
    public const string Resume = nameof(Resume);
    public const string SendCiphertext = nameof(SendCiphertext);
    public const string Acknowledge = nameof(Acknowledge);
    public const string EndSession = nameof(EndSession);
    public const string SupporterCertificate = nameof(SupporterCertificate);
    public const string RegisterReturnCode = nameof(RegisterReturnCode);
    public const string RequestReturn = nameof(RequestReturn);
    public const string AnswerLeadInvitation = nameof(AnswerLeadInvitation);
    public const string LeadCertificate = nameof(LeadCertificate);
    public const string SendToLead = nameof(SendToLead);
    public const string AcknowledgeLead = nameof(AcknowledgeLead);
    public const string GiveFeedback = nameof(GiveFeedback);
}

/// <summary>Hub methods a supporter invokes (verbs).</summary>
public static class StaffMethods
{
    public const string StartShift = nameof(StartShift);
    public const string EndShift = nameof(EndShift);
    public const string GetQueue = nameof(GetQueue);
    public const string ClaimNext = nameof(ClaimNext);
    public const string Claim = nameof(Claim);
    public const string DeclineOffer = nameof(DeclineOffer);
    public const string ShareResource = nameof(ShareResource);
    public const string InviteLead = nameof(InviteLead);
    public const string LeaveSession = nameof(LeaveSession);
    public const string Resume = nameof(Resume);
    public const string SendCiphertext = nameof(SendCiphertext);
    public const string Acknowledge = nameof(Acknowledge);
    public const string CloseSession = nameof(CloseSession);
    public const string Transfer = nameof(Transfer);
}

/// <summary>Events the server pushes (named as things that happened).</summary>
public static class ClientEvents
{
    public const string MessageReceived = nameof(MessageReceived);
    public const string MessagesDelivered = nameof(MessagesDelivered);
    public const string QueueMoved = nameof(QueueMoved);
    public const string SessionChanged = nameof(SessionChanged);
    public const string QueueChanged = nameof(QueueChanged);
    public const string SessionOffered = nameof(SessionOffered);
    public const string OfferWithdrawn = nameof(OfferWithdrawn);
    public const string CrisisAlert = nameof(CrisisAlert);
    public const string WellbeingNotice = nameof(WellbeingNotice);
    public const string LeadInvited = nameof(LeadInvited);
    public const string LeadMessageReceived = nameof(LeadMessageReceived);
    public const string LeadMessagesDelivered = nameof(LeadMessagesDelivered);
    /// <summary>Staff only: the caller of a session they are in went away or came back (CallerPresence).</summary>
    public const string CallerPresence = nameof(CallerPresence);
}
