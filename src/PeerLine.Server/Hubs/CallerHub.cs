using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Continuity;
using PeerLine.Server.Hosting;
using PeerLine.Server.Metrics;
using PeerLine.Server.Puzzle;
using PeerLine.Server.Queue;
using PeerLine.Server.Relay;
using PeerLine.Server.Roster;
using PeerLine.Server.Supervision;

namespace PeerLine.Server.Hubs;

/// <summary>
/// The anonymous caller. A connection is bound to one session, by asking for support or by presenting the
/// session's caller secret; every later call is checked against that binding.
/// </summary>
public sealed class CallerHub(
    IntakeService intake,
    RelayService relay,
    DeviceKeyService deviceKeys,
    ContinuityService continuity,
    SupervisionService supervision,
    FeedbackService feedback,
    PuzzleService puzzles,
    IOptionsMonitor<ContinuityOptions> continuityOptions)
    : Hub<ICallerClient>, ICallerHub
{
    private const string BoundSession = "session";
    private const string ConnectionMarker = "marker";

    /// <summary>A fresh single-use puzzle; its proof goes with the next RequestSupport or RequestReturn.</summary>
    public Task<PuzzleChallenge> Challenge() => puzzles.IssueAsync(Context.ConnectionAborted);

    public async Task<SessionTicket> RequestSupport(string topic, string priority, PuzzleProof proof)
    {
        await puzzles.VerifyAsync(proof, Context.ConnectionAborted);
        if (Context.Items.ContainsKey(BoundSession)) throw new PeerLineException(ErrorCodes.WrongState);
        var ticket = await intake.RequestAsync(topic, priority, Marker, Context.ConnectionAborted);
        await BindAsync(ticket.SessionId);
        return ticket;
    }

    /// <summary>
    /// Asks for support with a return code's lookup value: the earlier supporter, when on shift, is offered the session
    /// first. The ticket's Return says where it led; an unusable code still queues the request normally.
    /// </summary>
    public async Task<SessionTicket> RequestReturn(string topic, string priority, byte[] returnLookup, PuzzleProof proof)
    {
        await puzzles.VerifyAsync(proof, Context.ConnectionAborted);
        if (Context.Items.ContainsKey(BoundSession)) throw new PeerLineException(ErrorCodes.WrongState);
        // Codes are checked before a meeting of the return code is spent on a request that cannot be made.
        WireCodes.ParseTopic(topic);
        WireCodes.ParsePriority(priority);
        var (preferred, route) = await continuity.UseAsync(returnLookup, Context.ConnectionAborted);
        var reservation = preferred is null ? null : new Reservation(preferred, continuityOptions.CurrentValue.ReserveSeconds);
        var ticket = await intake.RequestAsync(topic, priority, Marker, reservation, Context.ConnectionAborted);
        await BindAsync(ticket.SessionId);
        return ticket with { Return = route };
    }

    /// <summary>Takes a return code for the supporter now holding this active session (the code itself stays with the caller).</summary>
    public Task<ReturnCodeInfo> RegisterReturnCode(string sessionId, byte[] returnLookup) =>
        continuity.RegisterAsync(Bound(sessionId), returnLookup, Context.ConnectionAborted);

    public async Task<SessionView> Resume(string sessionId, string callerSecret)
    {
        var view = await intake.ResumeAsync(sessionId, callerSecret, Marker, Context.ConnectionAborted);
        await BindAsync(view.SessionId);
        foreach (var message in await relay.PendingAsync(view.SessionId, Direction.SupporterToCaller, Context.ConnectionAborted))
            await Clients.Caller.MessageReceived(message);
        foreach (var message in await relay.PendingAsync(view.SessionId, Direction.LeadToCaller, Context.ConnectionAborted))
            await Clients.Caller.LeadMessageReceived(message);
        return view;
    }

    public Task SendCiphertext(string sessionId, Guid messageId, long seq, byte[] ciphertext) =>
        relay.SendAsync(Bound(sessionId), Direction.CallerToSupporter, null, messageId, seq, ciphertext, Context.ConnectionAborted);

    public Task Acknowledge(string sessionId, long upToSeq) =>
        relay.AcknowledgeAsync(Bound(sessionId), Direction.SupporterToCaller, null, upToSeq, Context.ConnectionAborted);

    /// <summary>The roster certificate of the supporter now holding this session, for the caller to verify and pin.</summary>
    public async Task<byte[]> SupporterCertificate(string sessionId)
    {
        var supporter = await intake.SupporterOfAsync(Bound(sessionId), Context.ConnectionAborted)
            ?? throw new PeerLineException(ErrorCodes.WrongState);
        return await deviceKeys.CurrentCertificateAsync(supporter, Context.ConnectionAborted)
            ?? throw new PeerLineException(ErrorCodes.NotFound);
    }

    /// <summary>The caller's answer to LeadInvited: true lets the lead in, false refuses (the supporter is told, nothing else changes).</summary>
    public Task AnswerLeadInvitation(string sessionId, bool accept) =>
        supervision.AnswerAsync(Bound(sessionId), accept, Context.ConnectionAborted);

    /// <summary>The roster certificate of the lead in this session, for the caller's second channel.</summary>
    public async Task<byte[]> LeadCertificate(string sessionId)
    {
        var lead = await intake.LeadOfAsync(Bound(sessionId), Context.ConnectionAborted) ?? throw new PeerLineException(ErrorCodes.WrongState);
        return await deviceKeys.CurrentCertificateAsync(lead, Context.ConnectionAborted) ?? throw new PeerLineException(ErrorCodes.NotFound);
    }

    public Task SendToLead(string sessionId, Guid messageId, long seq, byte[] ciphertext) =>
        relay.SendAsync(Bound(sessionId), Direction.CallerToLead, null, messageId, seq, ciphertext, Context.ConnectionAborted);

    public Task AcknowledgeLead(string sessionId, long upToSeq) =>
        relay.AcknowledgeAsync(Bound(sessionId), Direction.LeadToCaller, null, upToSeq, Context.ConnectionAborted);

    public Task EndSession(string sessionId) => intake.EndAsync(Bound(sessionId), Context.ConnectionAborted);

    /// <summary>The anonymous post-chat questions (FeedbackQuestions), once, after a chat that was answered and has ended.</summary>
    public Task GiveFeedback(string sessionId, Dictionary<string, string> answers) =>
        feedback.GiveAsync(Bound(sessionId), answers, Context.ConnectionAborted);

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(BoundSession, out var id) && id is string sessionId)
            await intake.CallerDisconnectedAsync(sessionId, Marker, CancellationToken.None);
        await base.OnDisconnectedAsync(exception);
    }

    private async Task BindAsync(string sessionId)
    {
        if (Context.Items.TryGetValue(BoundSession, out var previous) && previous is string old && old != sessionId)
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Caller(old));
        Context.Items[BoundSession] = sessionId;
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Caller(sessionId));
    }

    /// <summary>The session this connection proved it may use; any other id is refused without saying whether it exists.</summary>
    private string Bound(string sessionId) =>
        Context.Items.TryGetValue(BoundSession, out var id) && id is string bound && bound == sessionId
            ? bound
            : throw new PeerLineException(ErrorCodes.NotFound);

    /// <summary>A random marker of this connection, so a late disconnect of an old connection does not mark a resumed caller away.</summary>
    private string Marker
    {
        get
        {
            if (Context.Items.TryGetValue(ConnectionMarker, out var m) && m is string marker) return marker;
            marker = RandomTokens.Create(12);
            Context.Items[ConnectionMarker] = marker;
            return marker;
        }
    }
}
