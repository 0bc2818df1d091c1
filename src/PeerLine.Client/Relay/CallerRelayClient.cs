using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using PeerLine.Protocol.Puzzle;
using PeerLine.Protocol.Wire;

namespace PeerLine.Client.Relay;

/// <summary>
/// The anonymous caller's transport: asks for support (or resumes with session id and caller secret), sends and
/// receives opaque ciphertext, survives drops and server restarts. The E2E layer sits on top of it.
/// </summary>
public sealed class CallerRelayClient : RelayConnection
{
    /// <summary>Fresh challenges tried before a puzzle-failed refusal is given up (each failure spends the challenge).</summary>
    public const int PuzzleAttempts = 4;

    private readonly RelayClientOptions _options;
    private SessionTicket? _ticket;

    public CallerRelayClient(RelayClientOptions options) : base(options, HubRoutes.Caller)
    {
        Connection.On<LeadInvitation>(nameof(ICallerClient.LeadInvited), i => LeadInvited?.Invoke(i));
        // A lead let in (or gone): the view says where the lead lane stands, and brings what it holds.
        SessionChanged += change =>
        {
            if (change.Reason == ChangeReasons.LeadJoined) _ = Task.Run(RefreshAsync);
        };
        _options = options;
        Connection.On<QueueStatus>(nameof(ICallerClient.QueueMoved), s => QueueMoved?.Invoke(s));
    }

    public event Action<QueueStatus>? QueueMoved;

    /// <summary>What RequestSupport answered (its queue status is the one at the request), or null before it.</summary>
    public SessionTicket? Ticket => _ticket;

    public string? SessionId => _ticket?.SessionId;

    /// <summary>The credential to resume with; keep it only as long as the session lasts.</summary>
    public string? CallerSecret => _ticket?.CallerSecret;

    /// <summary>Asks for support: solves a fresh puzzle (protocol.md §3) off this thread, then sends the request with its proof.</summary>
    public Task<SessionTicket> RequestSupportAsync(string topic, string priority, CancellationToken ct = default) =>
        RequestAsync(
            topic, priority, proof => Connection.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), topic, priority, proof, ct), ct);

    /// <summary>Asks for support with a return code's 32-byte lookup value; the ticket's Return says where it led.</summary>
    public Task<SessionTicket> RequestReturnAsync(string topic, string priority, byte[] returnLookup, CancellationToken ct = default) =>
        RequestAsync(
            topic, priority,
            proof => Connection.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestReturn), topic, priority, returnLookup, proof, ct), ct);

    /// <summary>Takes a return code for the supporter now holding the session: only its lookup value is sent.</summary>
    public Task<ReturnCodeInfo> RegisterReturnCodeAsync(byte[] returnLookup, CancellationToken ct = default) =>
        WithRetryAsync(() => Connection.InvokeAsync<ReturnCodeInfo>(nameof(ICallerHub.RegisterReturnCode), SessionId, returnLookup, ct), ct);

    private async Task<SessionTicket> RequestAsync(string topic, string priority, Func<PuzzleProof, Task<SessionTicket>> request, CancellationToken ct)
    {
        if (_ticket is not null) throw new InvalidOperationException("This client already has a session.");
        await OpenAsync(ct);
        _ticket = await WithSolvedPuzzleAsync(request, ct);
        Track(new SessionView(_ticket.SessionId, _ticket.Queue.State, topic, priority, 0, 0, _ticket.Queue));
        return _ticket;
    }

    /// <summary>
    /// Challenge, solve, send. A refused proof (wrong, reused, expired, or from before a server restart) was spent:
    /// the next attempt starts from a new challenge.
    /// </summary>
    private async Task<SessionTicket> WithSolvedPuzzleAsync(Func<PuzzleProof, Task<SessionTicket>> request, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var challenge = await WithRetryAsync(() => Connection.InvokeAsync<PuzzleChallenge>(nameof(ICallerHub.Challenge), ct), ct);
            var proof = await ProofOfWork.SolveAsync(challenge, ct);
            try
            {
                return await WithRetryAsync(() => request(proof), ct);
            }
            catch (RelayException e) when (e.Code == ErrorCodes.PuzzleFailed && attempt < PuzzleAttempts)
            {
                // Spent: ask for a new one.
            }
        }
    }

    /// <summary>Picks up an existing session (after a page reload or an app restart) with its id and secret.</summary>
    public async Task<SessionView> ResumeAsync(string sessionId, string callerSecret, CancellationToken ct = default)
    {
        _ticket = new SessionTicket(sessionId, callerSecret, new QueueStatus(SessionStates.Waiting, null, null));
        await OpenAsync(ct);
        var view = (await RejoinAsync(ct))[0];
        Track(view);
        return view;
    }

    public Task<long> SendAsync(byte[] ciphertext, CancellationToken ct = default) =>
        SendAsync(RequireSession(), nameof(ICallerHub.SendCiphertext), ciphertext, ct);

    /// <summary>Sends ciphertext sealed for the sequence number it will travel under.</summary>
    public Task<long> SendAsync(Func<long, byte[]> seal, CancellationToken ct = default) =>
        SendAsync(RequireSession(), nameof(ICallerHub.SendCiphertext), seal, ct);

    /// <summary>Sends an envelope sealed and kept for <paramref name="seq"/> (on the lane with the lead when <paramref name="toLead"/>).</summary>
    public Task SendSealedAsync(Guid relayId, long seq, byte[] envelope, bool toLead, CancellationToken ct = default) =>
        SendSealedAsync(
            RequireSession(), toLead ? nameof(ICallerHub.SendToLead) : nameof(ICallerHub.SendCiphertext), relayId, seq, envelope, ct, toLead);

    /// <summary>The device key ids the server lists as revoked (GET /api/roster).</summary>
    public async Task<IReadOnlyList<byte[]>> RevokedKeyIdsAsync(CancellationToken ct = default)
    {
        using var http = _options.HttpHandlerFactory is { } f ? new HttpClient(f()) : new HttpClient();
        http.BaseAddress = _options.Server;
        var roster = await http.GetFromJsonAsync<RosterAnswer>("/api/roster", ct);
        return roster?.RevokedKeyIds.Select(Convert.FromHexString).ToList() ?? [];
    }

    private sealed record RosterAnswer(string PublicKey, List<string> RevokedKeyIds);

    /// <summary>The supporter asks whether a lead may join; answer with <see cref="AnswerLeadInvitationAsync"/>.</summary>
    public event Action<LeadInvitation>? LeadInvited;

    public Task AnswerLeadInvitationAsync(bool accept, CancellationToken ct = default)
    {
        var id = RequireSession();
        return WithRetryAsync(() => Connection.InvokeAsync(nameof(ICallerHub.AnswerLeadInvitation), id, accept, ct), ct);
    }

    /// <summary>The roster certificate of the lead in the session (to verify before the lead channel's handshake).</summary>
    public Task<byte[]> LeadCertificateAsync(CancellationToken ct = default)
    {
        var id = RequireSession();
        return WithRetryAsync(() => Connection.InvokeAsync<byte[]>(nameof(ICallerHub.LeadCertificate), id, ct), ct);
    }

    /// <summary>Sends on the lane with the lead, sealed for the sequence number it will travel under.</summary>
    public Task<long> SendToLeadAsync(Func<long, byte[]> seal, CancellationToken ct = default) =>
        SendAsync(RequireSession(), nameof(ICallerHub.SendToLead), seal, ct, toLead: true);

    /// <summary>Sends bytes as they are on the lane with the lead (handshake envelopes).</summary>
    public Task<long> SendToLeadAsync(byte[] ciphertext, CancellationToken ct = default) => SendToLeadAsync(_ => ciphertext, ct);

    /// <summary>The roster certificate of the supporter now holding the session (to verify before any handshake).</summary>
    public Task<byte[]> SupporterCertificateAsync(CancellationToken ct = default)
    {
        var id = RequireSession();
        return WithRetryAsync(() => Connection.InvokeAsync<byte[]>(nameof(ICallerHub.SupporterCertificate), id, ct), ct);
    }

    /// <summary>Leaves: withdraws a waiting request or closes an active session (its stored ciphertext is deleted).</summary>
    public async Task EndAsync(CancellationToken ct = default)
    {
        var id = RequireSession();
        await WithRetryAsync(() => Connection.InvokeAsync(nameof(ICallerHub.EndSession), id, ct), ct);
        Forget(id);
    }

    /// <summary>
    /// After an answered chat has ended: the anonymous post-chat answers (question code → answer code, see
    /// FeedbackQuestions), once. The server only adds them to its weekly counts.
    /// </summary>
    public Task GiveFeedbackAsync(IReadOnlyDictionary<string, string> answers, CancellationToken ct = default)
    {
        var id = RequireSession();
        return WithRetryAsync(() => Connection.InvokeAsync(nameof(ICallerHub.GiveFeedback), id, answers, ct), ct);
    }

    /// <summary>Resumes the session again (idempotent): picks up the lead lane after a lead joined.</summary>
    public async Task RefreshAsync()
    {
        try
        {
            await RefreshViewAsync();
        }
        catch (RelayException)
        {
            // The session is gone; nothing to refresh.
        }
    }

    /// <summary>Resumes the session again and returns its view (also handed to <see cref="RelayConnection.SignalReceived"/>).</summary>
    public async Task<SessionView> RefreshViewAsync(CancellationToken ct = default)
    {
        var view = (await WithRetryAsync(() => RejoinAsync(ct), ct))[0];
        Track(view);
        return view;
    }

    protected override async Task<IReadOnlyList<SessionView>> RejoinAsync(CancellationToken ct)
    {
        var ticket = _ticket ?? throw new InvalidOperationException("No session to resume.");
        try
        {
            return [await Connection.InvokeAsync<SessionView>(nameof(ICallerHub.Resume), ticket.SessionId, ticket.CallerSecret, ct)];
        }
        catch (HubException e) when (e.Message.EndsWith(ErrorCodes.NotFound, StringComparison.Ordinal))
        {
            throw new RelayException(ErrorCodes.NotFound);
        }
    }

    protected override string AcknowledgeMethod => nameof(ICallerHub.Acknowledge);

    private string RequireSession() => _ticket?.SessionId ?? throw new InvalidOperationException("No session yet.");
}
