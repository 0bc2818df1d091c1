using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using PeerLine.Client.Relay;
using PeerLine.Client.State;
using PeerLine.Protocol.E2E;
using PeerLine.Protocol.Wire;

namespace PeerLine.Client.E2E;

/// <summary>
/// A supporter (or a lead let in), end to end: the device's static X25519 key (certified in the roster) answers each
/// caller's handshake; one channel per session, several at once. Each session's lane is kept in the store
/// (docs/protocol.md, continuity rules R1–R7), so a restarted client continues the same channels, and a client that
/// lost them asks the caller for a new handshake before it acknowledges what it cannot read.
/// </summary>
public sealed partial class SupporterClient : IAsyncDisposable
{
    private readonly SupporterRelayClient _relay;
    private readonly Key _deviceKey;
    private readonly IConversationStore _store;
    private readonly string _keyPrefix;
    private readonly ConcurrentDictionary<string, StaffConversation> _conversations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _established = new(StringComparer.Ordinal);

    /// <param name="store">Where each session's lane is kept (default: memory only, so a restart asks for a new handshake).</param>
    public SupporterClient(RelayClientOptions options, string login, string password, Key deviceKey, IConversationStore? store = null)
    {
        _relay = new SupporterRelayClient(options, login, password);
        _deviceKey = deviceKey;
        _store = store ?? new MemoryConversationStore();
        // Per login: a store may serve several accounts on one device.
        _keyPrefix = "staff-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(login)).AsSpan(0, 4)) + "-";
        _relay.MessageReceived = OnEnvelopeAsync;
        _relay.SignalReceived = OnSignalAsync;
    }

    public SupporterRelayClient Relay => _relay;

    /// <summary>Called with each decrypted message once, in order per session. It is acknowledged when this returns.</summary>
    public Func<PlaintextMessage, Task>? MessageReceived { get; set; }

    /// <summary>(session id, reason code) when a handshake or a message cannot be read, or a send is refused.</summary>
    public event Action<string, string>? ChannelRefused;

    /// <summary>(session id, message id): the caller kept this message.</summary>
    public event Action<string, Guid>? Delivered;

    /// <summary>(session id, message id): the session ended, or moved on, before the caller kept this message.</summary>
    public event Action<string, Guid>? NotDelivered;

    /// <summary>The caller of a session this staff member is in went away or came back.</summary>
    public event Action<CallerPresence>? CallerPresence;

    public byte[] DevicePublicKey => _deviceKey.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public Task<(string Status, byte[]? Certificate)> EnrollAsync(CancellationToken ct = default) => _relay.EnrollDeviceKeyAsync(DevicePublicKey, ct);

    /// <summary>Signs in and connects; the sessions this staff member holds continue from their kept lanes.</summary>
    public Task<IReadOnlyList<SessionView>> ConnectAsync(CancellationToken ct = default) => _relay.ConnectAsync(ct);

    public Task<ShiftStatus> StartShiftAsync(int? capacity = null, CancellationToken ct = default) => _relay.StartShiftAsync(capacity, ct);

    public Task<SessionView> ClaimNextAsync(CancellationToken ct = default) => _relay.ClaimNextAsync(ct);

    /// <summary>
    /// Completes with the safety code when the channel in this session is established (or restored); a new handshake starts a new task.
    /// </summary>
    public Task<string> EstablishedAsync(string sessionId) => Pending(sessionId).Task;

    /// <summary>How many messages of this session are kept and not yet known delivered.</summary>
    public int Undelivered(string sessionId) => _conversations.TryGetValue(sessionId, out var c) ? c.Lane.Record.Outbox.Count : 0;

    /// <summary>
    /// R1: keeps the message, seals and sends it when the channel is established (then returns once the server holds
    /// it), else it waits for the channel. Returns the end-to-end message id.
    /// </summary>
    public async Task<Guid> SendAsync(string sessionId, byte[] content, CancellationToken ct = default)
    {
        var conversation = await ConversationAsync(sessionId, ct);
        var id = Guid.NewGuid();
        Task<bool>? sent = null;
        await conversation.Gate.WaitAsync(ct);
        try
        {
            if (conversation.Ended) throw new RelayException(ErrorCodes.WrongState);
            var entry = conversation.Lane.Write(id, content);
            await SaveAsync(conversation);
            if (entry.Seq is { } seq)
            {
                conversation.Lane.Kick();
                sent = conversation.Lane.WhenSent(seq);
            }
        }
        finally
        {
            conversation.Gate.Release();
        }
        if (sent is not null) await sent.WaitAsync(ct);
        return id;
    }

    public Task<Guid> SendAsync(string sessionId, string text, CancellationToken ct = default) =>
        SendAsync(sessionId, Encoding.UTF8.GetBytes(text), ct);

    public async Task CloseAsync(string sessionId, string disposition, CancellationToken ct = default)
    {
        await _relay.CloseAsync(sessionId, disposition, ct);
        if (_conversations.TryGetValue(sessionId, out var conversation)) await EndAsync(conversation);
    }

    private async Task<StaffConversation> ConversationAsync(string sessionId, CancellationToken ct)
    {
        while (true)
        {
            if (_conversations.TryGetValue(sessionId, out var conversation)) return conversation;
            await _known.GetOrAdd(sessionId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(ct);
        }
    }

    private string StoreKey(string sessionId) =>
        _keyPrefix + (sessionId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? sessionId
            : Convert.ToHexStringLower(Encoding.UTF8.GetBytes(sessionId)));

    /// <summary>Under the conversation's gate: writes its lane (with the live channel's state) to the store.</summary>
    private Task SaveAsync(StaffConversation conversation)
    {
        if (conversation.Ended) return Task.CompletedTask;
        conversation.Lane.Snapshot();
        return _store.SaveAsync(conversation.Key, StateJson.Write(conversation.Record));
    }

    /// <summary>R7: the session ended or moved on; what the caller did not keep is reported, and the kept lane erased.</summary>
    private async Task EndAsync(StaffConversation conversation)
    {
        List<Guid> undelivered;
        await conversation.Gate.WaitAsync();
        try
        {
            if (conversation.Ended) return;
            conversation.Ended = true;
            undelivered = conversation.Lane.End();
            await _store.DeleteAsync(conversation.Key);
        }
        finally
        {
            conversation.Gate.Release();
        }
        if (_established.TryGetValue(conversation.SessionId, out var pending) && pending.Task.IsCompleted)
            _established.TryRemove(new(conversation.SessionId, pending));
        foreach (var id in undelivered) NotDelivered?.Invoke(conversation.SessionId, id);
    }

    private TaskCompletionSource<string> Pending(string sessionId) =>
        _established.GetOrAdd(sessionId, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>A new handshake began: the next safety code is a new task.</summary>
    private void ResetEstablished(string sessionId)
    {
        if (_established.TryGetValue(sessionId, out var pending) && pending.Task.IsCompleted)
            _established.TryUpdate(sessionId, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously), pending);
    }

    public async ValueTask DisposeAsync()
    {
        await _relay.DisposeAsync();
        foreach (var conversation in _conversations.Values)
        {
            await conversation.Gate.WaitAsync();
            try
            {
                conversation.Lane.Dispose();
            }
            finally
            {
                conversation.Gate.Release();
            }
        }
    }

    /// <summary>One session this staff member is in: its kept record, its lane, and the gate its changes go through.</summary>
    private sealed class StaffConversation(string sessionId, string key, StaffRecord record, Party party)
    {
        public string SessionId { get; } = sessionId;
        public string Key { get; } = key;
        public StaffRecord Record { get; } = record;
        public Party Party { get; } = party;
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public ConversationLane Lane { get; set; } = null!;
        public bool Ended { get; set; }
    }
}
