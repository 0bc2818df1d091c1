using System.Collections.Concurrent;
using NSec.Cryptography;
using PeerLine.Client.Relay;
using PeerLine.Protocol.E2E;
using PeerLine.Protocol.Wire;

namespace PeerLine.Client.E2E;

/// <summary>
/// A supporter, end to end: the device's static X25519 key (certified in the roster) answers each caller's
/// handshake; one secure channel per session, several at once. A new channel replaces the old one whenever the
/// caller starts a fresh handshake (after a claim or transfer).
/// </summary>
public sealed class SupporterClient : IAsyncDisposable
{
    private readonly SupporterRelayClient _relay;
    private readonly Key _deviceKey;
    private readonly ConcurrentDictionary<string, SecureChannel> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _established = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _restartRequested = new(StringComparer.Ordinal);

    public SupporterClient(RelayClientOptions options, string login, string password, Key deviceKey)
    {
        _relay = new SupporterRelayClient(options, login, password);
        _deviceKey = deviceKey;
        _relay.MessageReceived = OnEnvelopeAsync;
    }

    public SupporterRelayClient Relay => _relay;

    public Func<PlaintextMessage, Task>? MessageReceived { get; set; }

    public event Action<string, string>? ChannelRefused;

    public byte[] DevicePublicKey => _deviceKey.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public Task<(string Status, byte[]? Certificate)> EnrollAsync(CancellationToken ct = default) => _relay.EnrollDeviceKeyAsync(DevicePublicKey, ct);

    public Task<IReadOnlyList<SessionView>> ConnectAsync(CancellationToken ct = default) => _relay.ConnectAsync(ct);

    public Task<ShiftStatus> StartShiftAsync(int? capacity = null, CancellationToken ct = default) => _relay.StartShiftAsync(capacity, ct);

    public Task<SessionView> ClaimNextAsync(CancellationToken ct = default) => _relay.ClaimNextAsync(ct);

    /// <summary>Completes with the safety code when the caller's handshake in this session is done.</summary>
    public Task<string> EstablishedAsync(string sessionId) => Pending(sessionId).Task;

    public async Task<long> SendAsync(string sessionId, byte[] content, CancellationToken ct = default)
    {
        await EstablishedAsync(sessionId).WaitAsync(ct);
        var channel = _channels[sessionId];
        var messageId = Guid.NewGuid();
        return await _relay.SendAsync(sessionId, seq => channel.Seal(messageId, content, seq), ct);
    }

    public Task<long> SendAsync(string sessionId, string text, CancellationToken ct = default) =>
        SendAsync(sessionId, System.Text.Encoding.UTF8.GetBytes(text), ct);

    public async Task CloseAsync(string sessionId, string disposition, CancellationToken ct = default)
    {
        await _relay.CloseAsync(sessionId, disposition, ct);
        if (_channels.TryRemove(sessionId, out var channel)) channel.Dispose();
        _established.TryRemove(sessionId, out _);
    }

    private async Task OnEnvelopeAsync(ReceivedMessage message)
    {
        var isHandshake = Envelope.TryUnwrap(message.Ciphertext, out var type, out _) && type == EnvelopeType.Handshake;
        if (!isHandshake && !(_channels.TryGetValue(message.SessionId, out var current) && current.IsEstablished))
        {
            // Sealed for a channel this client does not have (it restarted mid-session; messages arrive in order, so a
            // transport message before an established channel is never ours): unreadable. Ask the caller once for a new
            // handshake; until it arrives, further messages of the old channel are dropped the same way.
            ChannelRefused?.Invoke(message.SessionId, "rejected-message");
            if (_restartRequested.TryAdd(message.SessionId, true)) await SendOrReportAsync(message.SessionId, Envelope.RestartRequest());
            return;
        }
        if (isHandshake) _restartRequested.TryRemove(message.SessionId, out _);
        var channel = _channels.GetOrAdd(message.SessionId, NewChannel);
        if (isHandshake && channel.IsEstablished)
        {
            // The caller started over (a transfer, or a new connection of the caller): a fresh channel.
            channel.Dispose();
            channel = _channels[message.SessionId] = NewChannel(message.SessionId);
            _established.TryRemove(message.SessionId, out _);
        }

        var result = channel.Receive(message.Ciphertext, message.Seq);
        if (result.Outcome == ChannelOutcome.Rejected && isHandshake && !channel.IsEstablished)
        {
            // A stale handshake message (written for whoever held the session before, delivered because it was never
            // acknowledged) must not spoil the caller's fresh one: start over and let the envelope try a clean channel.
            channel.Dispose();
            channel = _channels[message.SessionId] = NewChannel(message.SessionId);
            result = channel.Receive(message.Ciphertext, message.Seq);
        }
        switch (result.Outcome)
        {
            case ChannelOutcome.Handshake:
                if (result.Reply is { } reply && !await SendOrReportAsync(message.SessionId, reply)) break;
                if (channel.IsEstablished) Pending(message.SessionId).TrySetResult(channel.SafetyCode!);
                break;
            case ChannelOutcome.Message when MessageReceived is { } handler:
                await handler(new PlaintextMessage(message.SessionId, message.Seq, result.Content!));
                break;
            case ChannelOutcome.Rejected:
                ChannelRefused?.Invoke(message.SessionId, "rejected-message");
                break;
        }
    }

    /// <summary>Sends from the receive path; a refusal (the chat closed or moved meanwhile) is reported, not thrown.</summary>
    private async Task<bool> SendOrReportAsync(string sessionId, byte[] envelope)
    {
        try
        {
            await _relay.SendAsync(sessionId, envelope);
            return true;
        }
        catch (RelayException e)
        {
            ChannelRefused?.Invoke(sessionId, e.Code);
            return false;
        }
    }

    /// <summary>A channel as this session's supporter, or as the lead the caller let in (its own prologue and directions).</summary>
    private SecureChannel NewChannel(string sessionId) =>
        SecureChannel.ForStaff(sessionId, _relay.IsLead(sessionId) ? Party.Lead : Party.Supporter, _deviceKey);

    private TaskCompletionSource<string> Pending(string sessionId) =>
        _established.GetOrAdd(sessionId, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

    public async ValueTask DisposeAsync()
    {
        await _relay.DisposeAsync();
        foreach (var channel in _channels.Values) channel.Dispose();
    }
}
