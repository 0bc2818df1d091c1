using System.Text;
using NSec.Cryptography;
using PeerLine.Client.Relay;
using PeerLine.Client.State;
using PeerLine.Protocol.Roster;
using PeerLine.Protocol.Wire;

namespace PeerLine.Client.E2E;

/// <summary>
/// The anonymous caller, end to end: asks for support, and once a supporter holds the session, verifies that
/// supporter's roster certificate against the pinned roster key and runs the Noise XK handshake with the episode
/// key. Plaintext exists only in this object, its store and the application.
/// Nothing is lost (docs/protocol.md, continuity rules R1–R7): every message is kept in the store until the other
/// side has kept it, sealed again under a new channel after a transfer or a restart request, and reported as
/// <see cref="NotDelivered"/> when the chat ends first. A restarted application picks the session up with
/// <see cref="ResumeStoredAsync"/>: same channel, same safety code, nothing unread lost.
/// </summary>
public sealed partial class CallerClient : IAsyncDisposable
{
    private readonly CallerRelayClient _relay;
    private readonly RosterTrust _trust;
    private readonly IConversationStore _store;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TaskCompletionSource _hasSession = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Key _episodeKey;
    private CallerRecord? _record;
    private ConversationLane? _supporter;
    private ConversationLane? _lead;
    private SessionView? _view;
    private TaskCompletionSource<string> _established = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<string> _leadEstablished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _ended;

    /// <param name="store">Where the conversation is kept (default: memory only, so a restart cannot pick it up).</param>
    public CallerClient(RelayClientOptions options, RosterTrust trust, IConversationStore? store = null)
        : this(options, trust, store ?? new MemoryConversationStore(), record: null)
    {
    }

    private CallerClient(RelayClientOptions options, RosterTrust trust, IConversationStore store, CallerRecord? record)
    {
        _relay = new CallerRelayClient(options);
        _trust = trust;
        _store = store;
        _relay.MessageReceived = OnEnvelopeAsync;
        _relay.SignalReceived = OnSignalAsync;
        _episodeKey = record is null ? Handshakes.NewExportableKey() : Handshakes.ImportKey(record.EpisodeKey);
        if (record is not null) Adopt(record);
    }

    /// <summary>
    /// The session kept in <paramref name="store"/> (after the application restarted), not yet connected: set
    /// <see cref="MessageReceived"/> and the events, then call <see cref="ResumeAsync"/>. Null when nothing is kept.
    /// </summary>
    public static async Task<CallerClient?> LoadStoredAsync(
        RelayClientOptions options, RosterTrust trust, IConversationStore store, CancellationToken ct = default)
    {
        var record = StateJson.Read<CallerRecord>(await store.LoadAsync(CallerRecord.Key, ct));
        return record is null ? null : new CallerClient(options, trust, store, record);
    }

    /// <summary>Loads the kept session and resumes it at once; null when nothing is kept.</summary>
    public static async Task<CallerClient?> ResumeStoredAsync(
        RelayClientOptions options, RosterTrust trust, IConversationStore store, CancellationToken ct = default)
    {
        var caller = await LoadStoredAsync(options, trust, store, ct);
        if (caller is not null) await caller.ResumeAsync(ct);
        return caller;
    }

    public CallerRelayClient Relay => _relay;

    public string? SessionId => _record?.SessionId ?? _relay.SessionId;

    /// <summary>Called with each decrypted message once (also across restarts), in order per lane. It is acknowledged when this returns.</summary>
    public Func<PlaintextMessage, Task>? MessageReceived { get; set; }

    /// <summary>The other side kept this message (its id as <see cref="SendAsync(byte[], CancellationToken)"/> returned it).</summary>
    public event Action<Guid>? Delivered;

    /// <summary>
    /// The chat (or the lane with the lead) ended before the other side kept this message: "Not delivered — please write it again".
    /// </summary>
    public event Action<Guid>? NotDelivered;

    /// <summary>Raised when a staff member's certificate is refused, a handshake fails or a message cannot be read (a code, never content).</summary>
    public event Action<string>? ChannelRefused;

    /// <summary>Completes with the safety code once the channel with the current supporter is established (or restored).</summary>
    public Task<string> Established => _established.Task;

    /// <summary>Completes with the safety code of the channel with the lead, once its handshake is done.</summary>
    public Task<string> LeadEstablished => _leadEstablished.Task;

    /// <summary>How many messages are kept and not yet known delivered (both lanes).</summary>
    public int Undelivered => (_supporter?.Record.Outbox.Count ?? 0) + (_lead?.Record.Outbox.Count ?? 0);

    public async Task<SessionTicket> RequestSupportAsync(string topic, string priority, CancellationToken ct = default)
    {
        var ticket = await _relay.RequestSupportAsync(topic, priority, ct);
        var record = new CallerRecord
        {
            SessionId = ticket.SessionId, CallerSecret = ticket.CallerSecret, EpisodeKey = _episodeKey.Export(KeyBlobFormat.RawPrivateKey),
        };
        await _gate.WaitAsync(ct);
        try
        {
            Adopt(record);
            await SaveAsync();
        }
        finally
        {
            _gate.Release();
        }
        return ticket;
    }

    /// <summary>
    /// Connects a client loaded with <see cref="LoadStoredAsync"/>: first hands over what was kept and not yet shown,
    /// then resumes the session; the rules of R6 then resend, restore or start a handshake as the view requires.
    /// </summary>
    public async Task<SessionView> ResumeAsync(CancellationToken ct = default)
    {
        var record = _record ?? throw new InvalidOperationException("Nothing to resume.");
        foreach (var lane in new[] { _supporter!, _lead! }) await HandOverUnshownAsync(lane, lane == _lead);
        try
        {
            return await _relay.ResumeAsync(record.SessionId, record.CallerSecret, ct);
        }
        catch (RelayException e) when (e.Code == ErrorCodes.NotFound)
        {
            await EndConversationAsync();
            throw;
        }
    }

    /// <summary>
    /// R1: keeps the message, seals and sends it when a channel is established (then returns once the server holds
    /// it), else it waits in the outbox for the next channel. Returns the end-to-end message id.
    /// </summary>
    public Task<Guid> SendAsync(byte[] content, CancellationToken ct = default) => WriteAsync(lead: false, content, ct);

    public Task<Guid> SendAsync(string text, CancellationToken ct = default) => SendAsync(Encoding.UTF8.GetBytes(text), ct);

    /// <summary>Sends to the lead on their own channel (the supporter does not receive it).</summary>
    public Task<Guid> SendToLeadAsync(string text, CancellationToken ct = default) =>
        WriteAsync(lead: true, Encoding.UTF8.GetBytes(text), ct);

    /// <summary>The supporter asks whether a lead may join (answer with <see cref="AnswerLeadInvitationAsync"/>; refusing costs nothing).</summary>
    public event Action<LeadInvitation>? LeadInvited
    {
        add => _relay.LeadInvited += value;
        remove => _relay.LeadInvited -= value;
    }

    public async Task AnswerLeadInvitationAsync(bool accept, CancellationToken ct = default)
    {
        // Recorded before asking: the server announces the lead before it answers this call.
        var before = await SetLeadConsentAsync(accept, null);
        try
        {
            await _relay.AnswerLeadInvitationAsync(accept, ct);
        }
        catch
        {
            await SetLeadConsentAsync(before, before);
            throw;
        }
    }

    /// <summary>Leaves: withdraws a waiting request or closes the session. What was not delivered is reported, and the kept state erased.</summary>
    public async Task EndAsync(CancellationToken ct = default)
    {
        await _relay.EndAsync(ct);
        await EndConversationAsync();
    }

    private async Task<Guid> WriteAsync(bool lead, byte[] content, CancellationToken ct)
    {
        if (_record is null) throw new InvalidOperationException("No session yet.");
        var id = Guid.NewGuid();
        Task<bool>? sent = null;
        await _gate.WaitAsync(ct);
        try
        {
            if (_ended) throw new RelayException(ErrorCodes.WrongState);
            var lane = lead ? _lead! : _supporter!;
            var entry = lane.Write(id, content);
            await SaveAsync();
            if (entry.Seq is { } seq)
            {
                lane.Kick();
                sent = lane.WhenSent(seq);
            }
        }
        finally
        {
            _gate.Release();
        }
        if (sent is not null) await sent.WaitAsync(ct);
        return id;
    }

    private async Task<bool> SetLeadConsentAsync(bool consent, bool? exactly)
    {
        await _gate.WaitAsync();
        try
        {
            var record = _record ?? throw new InvalidOperationException("No session yet.");
            var before = record.LeadConsent;
            record.LeadConsent = exactly ?? (consent || before);
            await SaveAsync();
            return before;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Takes a record (new or loaded) as this client's session and builds its lanes. Under the gate, or before any use.</summary>
    private void Adopt(CallerRecord record)
    {
        _record = record;
        _supporter = NewLane(record.Supporter, lead: false);
        _lead = NewLane(record.Lead, lead: true);
        if (_supporter.Channel?.SafetyCode is { } code) _established.TrySetResult(code);
        if (_lead.Channel?.SafetyCode is { } leadCode) _leadEstablished.TrySetResult(leadCode);
        _hasSession.TrySetResult();
    }

    private ConversationLane NewLane(LaneRecord record, bool lead) => new(record, _gate,
        (seq, relayId, envelope, ct) => _relay.SendSealedAsync(relayId, seq, envelope, lead, ct),
        code =>
        {
            ChannelRefused?.Invoke(code);
            _ = Task.Run(RefreshAfterRefusalAsync);
        });

    /// <summary>A send was refused: a fresh view says why (back in the queue, closed, numbering out of step) and R6 follows.</summary>
    private async Task RefreshAfterRefusalAsync()
    {
        try
        {
            await _relay.RefreshViewAsync();
        }
        catch (RelayException e) when (e.Code == ErrorCodes.NotFound)
        {
            await EndConversationAsync();
        }
        catch (Exception)
        {
            // Disposed meanwhile, or the connection is down: the next rejoin brings the view.
        }
    }

    /// <summary>Under the gate: writes the record (with the live channels' state) to the store.</summary>
    private Task SaveAsync()
    {
        if (_record is null || _ended) return Task.CompletedTask;
        _supporter!.Snapshot();
        _lead!.Snapshot();
        return _store.SaveAsync(CallerRecord.Key, StateJson.Write(_record));
    }

    /// <summary>R7: the session is over; whatever was not delivered is reported, and the kept state erased.</summary>
    private async Task EndConversationAsync()
    {
        List<Guid> undelivered;
        await _gate.WaitAsync();
        try
        {
            if (_ended || _record is null) return;
            _ended = true;
            undelivered = [.. _supporter!.End(), .. _lead!.End()];
            await _store.DeleteAsync(CallerRecord.Key);
        }
        finally
        {
            _gate.Release();
        }
        foreach (var id in undelivered) NotDelivered?.Invoke(id);
    }

    public async ValueTask DisposeAsync()
    {
        await _relay.DisposeAsync();
        await _gate.WaitAsync();
        try
        {
            _supporter?.Dispose();
            _lead?.Dispose();
            _episodeKey.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }
}
