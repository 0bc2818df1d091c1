using NSec.Cryptography;
using PeerLine.Client.Relay;
using PeerLine.Protocol.E2E;
using PeerLine.Protocol.Roster;
using PeerLine.Protocol.Wire;

namespace PeerLine.Client.E2E;

/// <summary>
/// The anonymous caller, end to end: asks for support, and once a supporter holds the session, verifies that
/// supporter's roster certificate against the pinned roster key and runs the Noise XK handshake with a fresh
/// episode key. Plaintext exists only in this object and the application.
/// </summary>
public sealed class CallerClient : IAsyncDisposable
{
    private readonly CallerRelayClient _relay;
    private readonly RosterTrust _trust;
    private readonly Key _episodeKey = Key.Create(KeyAgreementAlgorithm.X25519);
    private readonly SemaphoreSlim _channelLock = new(1, 1);
    private const int MaxRestarts = 3;
    private SecureChannel? _channel;
    private int _restarts;
    private TaskCompletionSource<string> _established = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SecureChannel? _leadChannel;
    private volatile bool _leadConsent;
    private TaskCompletionSource<string> _leadEstablished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CallerClient(RelayClientOptions options, RosterTrust trust)
    {
        _relay = new CallerRelayClient(options);
        _trust = trust;
        _relay.MessageReceived = OnEnvelopeAsync;
        _relay.SessionChanged += change =>
        {
            // Only a lead this caller agreed to: a "lead joined" without the caller's yes opens nothing.
            if (change.Reason == ChangeReasons.LeadJoined) { if (_leadConsent) _ = Task.Run(() => BeginLeadHandshakeAsync()); }
            else if (change.Reason == ChangeReasons.LeadLeft) DropLeadChannel();
            else if (change.State == SessionStates.Active) _ = Task.Run(() => BeginHandshakeAsync());
        };
    }

    public CallerRelayClient Relay => _relay;

    public string? SessionId => _relay.SessionId;

    /// <summary>Called with each decrypted message, in order, once.</summary>
    public Func<PlaintextMessage, Task>? MessageReceived { get; set; }

    /// <summary>Raised when a supporter's certificate is refused or the handshake fails (the reason is a code, never content).</summary>
    public event Action<string>? ChannelRefused;

    /// <summary>Completes with the safety code once the handshake with the current supporter is done.</summary>
    public Task<string> Established => _established.Task;

    public Task<SessionTicket> RequestSupportAsync(string topic, string priority, CancellationToken ct = default) =>
        _relay.RequestSupportAsync(topic, priority, ct);

    public async Task<long> SendAsync(byte[] content, CancellationToken ct = default)
    {
        await Established.WaitAsync(ct);
        var channel = _channel!;
        var messageId = Guid.NewGuid();
        return await _relay.SendAsync(seq => channel.Seal(messageId, content, seq), ct);
    }

    public Task<long> SendAsync(string text, CancellationToken ct = default) => SendAsync(System.Text.Encoding.UTF8.GetBytes(text), ct);

    /// <summary>The supporter asks whether a lead may join (answer with <see cref="AnswerLeadInvitationAsync"/>; refusing costs nothing).</summary>
    public event Action<LeadInvitation>? LeadInvited
    {
        add => _relay.LeadInvited += value;
        remove => _relay.LeadInvited -= value;
    }

    public async Task AnswerLeadInvitationAsync(bool accept, CancellationToken ct = default)
    {
        // Recorded before asking: the server announces the lead before it answers this call.
        var before = _leadConsent;
        _leadConsent = accept || before;
        try
        {
            await _relay.AnswerLeadInvitationAsync(accept, ct);
        }
        catch
        {
            _leadConsent = before;
            throw;
        }
    }

    /// <summary>Completes with the safety code of the channel with the lead, once its handshake is done.</summary>
    public Task<string> LeadEstablished => _leadEstablished.Task;

    /// <summary>Sends to the lead on their own channel (the supporter does not receive it).</summary>
    public async Task<long> SendToLeadAsync(string text, CancellationToken ct = default)
    {
        await LeadEstablished.WaitAsync(ct);
        var channel = _leadChannel!;
        var content = System.Text.Encoding.UTF8.GetBytes(text);
        var messageId = Guid.NewGuid();
        return await _relay.SendToLeadAsync(seq => channel.Seal(messageId, content, seq), ct);
    }

    /// <summary>The caller let a lead in: check the lead's certificate and run a handshake with it, as with the supporter.</summary>
    public Task BeginLeadHandshakeAsync(CancellationToken ct = default) => WithCheckedStaffKeyAsync(async ct =>
    {
        await _relay.RefreshAsync();
        return await _relay.LeadCertificateAsync(ct);
    }, async staticKey =>
    {
        _leadChannel?.Dispose();
        if (_leadEstablished.Task.IsCompleted) _leadEstablished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _leadChannel = SecureChannel.ForCaller(_relay.SessionId!, Party.Lead, staticKey, _episodeKey);
        await _relay.SendToLeadAsync(_leadChannel.Start(), ct);
    }, ct);

    private void DropLeadChannel()
    {
        _leadChannel?.Dispose();
        _leadChannel = null;
        if (_leadEstablished.Task.IsCompleted) _leadEstablished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task OnLeadEnvelopeAsync(ReceivedMessage message)
    {
        if (_leadChannel is not { } channel) return; // nothing to read it with: dropped, and acknowledged
        var result = channel.Receive(message.Ciphertext, message.Seq);
        switch (result.Outcome)
        {
            case ChannelOutcome.Handshake:
                try
                {
                    if (result.Reply is { } reply) await _relay.SendToLeadAsync(reply);
                }
                catch (RelayException e)
                {
                    ChannelRefused?.Invoke(e.Code); // the lead left, or the chat closed, meanwhile
                    break;
                }
                if (channel.IsEstablished) _leadEstablished.TrySetResult(channel.SafetyCode!);
                break;
            case ChannelOutcome.Message when MessageReceived is { } handler:
                await handler(new PlaintextMessage(message.SessionId, message.Seq, result.Content!, FromLead: true));
                break;
            case ChannelOutcome.Rejected:
                ChannelRefused?.Invoke("rejected-message");
                break;
        }
    }

    public Task EndAsync(CancellationToken ct = default) => _relay.EndAsync(ct);

    /// <summary>Starts a fresh handshake with whoever holds the session now (after a claim or a transfer).</summary>
    public Task BeginHandshakeAsync(CancellationToken ct = default) => WithCheckedStaffKeyAsync(_relay.SupporterCertificateAsync, async staticKey =>
    {
        _channel?.Dispose();
        if (_established.Task.IsCompleted) _established = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _channel = SecureChannel.ForCaller(_relay.SessionId!, staticKey, _episodeKey);
        await _relay.SendAsync(_channel.Start(), ct);
    }, ct);

    /// <summary>
    /// One handshake at a time: fetches a staff member's certificate, applies the served revocations, checks it
    /// against the pinned roster key, and only for <c>Trusted</c> runs <paramref name="start"/> with the key inside.
    /// Any refusal is raised as <see cref="ChannelRefused"/> with its verdict or code.
    /// </summary>
    private async Task WithCheckedStaffKeyAsync(Func<CancellationToken, Task<byte[]>> certificateOf, Func<byte[], Task> start, CancellationToken ct)
    {
        await _channelLock.WaitAsync(ct);
        try
        {
            var certificate = await certificateOf(ct);
            _trust.Revoke(await _relay.RevokedKeyIdsAsync(ct));
            var verdict = _trust.Check(certificate, out var parsed);
            if (verdict != CertificateVerdict.Trusted)
            {
                ChannelRefused?.Invoke(verdict.ToString());
                return;
            }
            await start(parsed!.StaticKey);
        }
        catch (RelayException e)
        {
            ChannelRefused?.Invoke(e.Code);
        }
        catch (HttpRequestException)
        {
            ChannelRefused?.Invoke(ErrorCodes.Unavailable);
        }
        finally
        {
            _channelLock.Release();
        }
    }

    private async Task OnEnvelopeAsync(ReceivedMessage message)
    {
        if (message.FromLead)
        {
            await OnLeadEnvelopeAsync(message);
            return;
        }
        var channel = _channel;
        if (Envelope.IsRestartRequest(message.Ciphertext))
        {
            // The supporter's side lost its channel (a restarted device or page). A handshake already under way answers it.
            if (channel is not null && (channel.IsEstablished || channel.HasFailed)) _ = Task.Run(() => BeginHandshakeAsync());
            return;
        }
        if (channel is null) return; // nothing can be read before a handshake: dropped, and acknowledged
        var result = channel.Receive(message.Ciphertext, message.Seq);
        switch (result.Outcome)
        {
            case ChannelOutcome.Handshake:
                try
                {
                    if (result.Reply is { } reply) await _relay.SendAsync(reply);
                }
                catch (RelayException e)
                {
                    ChannelRefused?.Invoke(e.Code); // the chat closed or moved meanwhile
                    break;
                }
                if (channel.IsEstablished) _established.TrySetResult(channel.SafetyCode!);
                break;
            case ChannelOutcome.Message when MessageReceived is { } handler:
                await handler(new PlaintextMessage(message.SessionId, message.Seq, result.Content!));
                break;
            case ChannelOutcome.Rejected when !channel.IsEstablished && _restarts++ < MaxRestarts:
                // A stale reply of a previous supporter spoiled this handshake: open a fresh one.
                _ = Task.Run(() => BeginHandshakeAsync());
                break;
            case ChannelOutcome.Rejected:
                ChannelRefused?.Invoke("rejected-message");
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _relay.DisposeAsync();
        _channel?.Dispose();
        _leadChannel?.Dispose();
        _episodeKey.Dispose();
    }
}
