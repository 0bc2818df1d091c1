using System.Security.Cryptography;
using PeerLine.Client.Relay;
using PeerLine.Client.State;
using PeerLine.Protocol.E2E;

namespace PeerLine.Client.E2E;

/// <summary>
/// One lane of a conversation as one side keeps it (docs/protocol.md, continuity rules R1–R7): its channel (and, for
/// the caller, the previous one), the outbox of messages not yet delivered, the sealed envelopes not yet held by the
/// server, the ids already shown. Every change is persisted before it is acted on. All members run under the
/// conversation's gate, except the send pump, which takes the gate itself.
/// </summary>
internal sealed class ConversationLane : IDisposable
{
    private readonly SemaphoreSlim _gate;
    private readonly Func<long, Guid, byte[], CancellationToken, Task> _send;
    private readonly Action<string> _refused;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Dictionary<long, TaskCompletionSource<bool>> _waiters = [];
    private bool _pumping;

    /// <param name="send">Sends one kept envelope (relay message id, seq, bytes) until the server holds it; throws
    /// RelayException when the server refuses.</param>
    /// <param name="refused">The server refused a send with this code: the pump stops until <see cref="Resume"/>.</param>
    public ConversationLane(LaneRecord record, SemaphoreSlim gate, Func<long, Guid, byte[], CancellationToken, Task> send, Action<string> refused)
    {
        Record = record;
        _gate = gate;
        _send = send;
        _refused = refused;
        Channel = record.Channel is { } current ? SecureChannel.Restore(current) : null;
        Previous = record.Previous is { } previous ? SecureChannel.Restore(previous) : null;
    }

    public LaneRecord Record { get; }

    /// <summary>The established channel, or null.</summary>
    public SecureChannel? Channel { get; private set; }

    public SecureChannel? Previous { get; private set; }

    /// <summary>The highest seq the server is known to hold from this side.</summary>
    public long ConfirmedSeq { get; private set; }

    /// <summary>The server refused a send: nothing more goes out until the owner has looked at a fresh view.</summary>
    public bool Halted { get; private set; }

    public bool Ended { get; private set; }

    /// <summary>Writes the live channels' state into the record (before every save).</summary>
    public void Snapshot()
    {
        Record.Channel = Channel?.Export();
        Record.Previous = Previous?.Export();
    }

    /// <summary>R1: keeps a new message; seals it at once when a channel is established. Throws for content too large (no seq used).</summary>
    public OutboxEntry Write(Guid messageId, byte[] content)
    {
        if (Ended) throw new InvalidOperationException("This conversation has ended.");
        var entry = new OutboxEntry { MessageId = messageId, Content = content };
        if (Channel is not null) Seal(entry);
        else if (content.Length > Padding.MaxContent) // the check a seal makes: a message that can never be sent is refused now
            throw new ArgumentException($"Content is limited to {Padding.MaxContent} bytes.", nameof(content));
        Record.Outbox.Add(entry);
        return entry;
    }

    /// <summary>Reserves the next seq for an envelope that is no outbox message (handshake, restart request).</summary>
    public long AddWire(byte[] envelope)
    {
        var seq = ++Record.LastSealedSeq;
        Record.Wires.Add(new WireEntry { Seq = seq, RelayId = Guid.NewGuid(), Envelope = envelope });
        return seq;
    }

    /// <summary>R5, second half: the new channel is established; what waited is sealed under it, in order.</summary>
    public void Establish(SecureChannel channel)
    {
        if (!ReferenceEquals(Channel, channel)) Channel?.Dispose();
        Channel = channel;
        Record.Generation++;
        DropHandshake();
        Record.RestartRequested = false;
        foreach (var entry in Record.Outbox.Where(e => e.Seq is null).ToList()) Seal(entry);
    }

    /// <summary>
    /// R5, first half: the channel is given up (the caller keeps it as <see cref="Previous"/> to open what was sealed
    /// under it). Undelivered messages wait for the next channel; what was already sealed and not yet sent still goes
    /// out (its seqs are taken, and the other side may still read it), as a plain envelope.
    /// </summary>
    public void Abandon(bool keepAsPrevious)
    {
        if (Channel is not null)
        {
            if (keepAsPrevious)
            {
                Previous?.Dispose();
                Previous = Channel;
            }
            else
            {
                Channel.Dispose();
            }
            Channel = null;
        }
        DropHandshake();
        foreach (var entry in Record.Outbox.Where(e => e.Seq is not null))
        {
            if (!entry.Sent) Record.Wires.Add(new WireEntry { Seq = entry.Seq!.Value, RelayId = entry.RelayId!.Value, Envelope = entry.Envelope! });
            Unseal(entry);
        }
    }

    /// <summary>
    /// The server takes no more sends in this lane for now (the session went back to the queue) or holds less than
    /// this side sealed: the channel is given up and nothing above what the server holds is sent any more.
    /// </summary>
    public void DropUnsent(long serverLastSent, bool keepAsPrevious)
    {
        Abandon(keepAsPrevious);
        ConfirmedSeq = Math.Max(ConfirmedSeq, serverLastSent);
        Record.Wires.Clear();
        Record.LastSealedSeq = ConfirmedSeq;
        FailWaiters();
        Halted = false;
    }

    /// <summary>
    /// R6: the server holds everything up to <paramref name="serverLastSent"/>. Returns false when that is more than
    /// this side ever sealed: the kept state is older than what was sent, and the owner must start over (R5).
    /// </summary>
    public bool Confirm(long serverLastSent)
    {
        ConfirmedSeq = Math.Max(ConfirmedSeq, serverLastSent);
        Record.Wires.RemoveAll(w => w.Seq <= ConfirmedSeq);
        foreach (var entry in Record.Outbox.Where(e => e.Seq <= ConfirmedSeq)) entry.Sent = true;
        foreach (var seq in _waiters.Keys.Where(s => s <= ConfirmedSeq).ToList()) Complete(seq, true);
        return serverLastSent <= Record.LastSealedSeq;
    }

    /// <summary>R4: the other side kept everything up to <paramref name="upToSeq"/>; returns the messages now delivered.</summary>
    public List<Guid> Receipt(long upToSeq)
    {
        Confirm(Math.Min(upToSeq, Record.LastSealedSeq));
        if (Channel is null) return [];
        var delivered = Record.Outbox.Where(e => e.Generation == Record.Generation && e.Seq <= upToSeq).ToList();
        foreach (var entry in delivered) Record.Outbox.Remove(entry);
        return delivered.Select(e => e.MessageId).ToList();
    }

    /// <summary>R7: the lane is over; returns the messages that were not delivered.</summary>
    public List<Guid> End()
    {
        Ended = true;
        var undelivered = Record.Outbox.Select(e => e.MessageId).ToList();
        Record.Outbox.Clear();
        Record.Wires.Clear();
        DropHandshake();
        Channel?.Dispose();
        Previous?.Dispose();
        Channel = Previous = null;
        FailWaiters();
        _lifetime.Cancel();
        return undelivered;
    }

    /// <summary>R2: what an incoming transport envelope is: a redelivery, a message, or unreadable here.</summary>
    public (OpenOutcome Outcome, Guid MessageId, byte[]? Content) Open(byte[] envelope, long seq)
    {
        if (seq <= Record.LastOpenedSeq) return (OpenOutcome.Redelivered, default, null);
        if (Channel?.Receive(envelope, seq) is { Outcome: ChannelOutcome.Message } current)
        {
            // Everything sealed under the previous channel came before the new channel's first message.
            Previous?.Dispose();
            Previous = null;
            return (OpenOutcome.Message, current.MessageId!.Value, current.Content);
        }
        if (Previous?.Receive(envelope, seq) is { Outcome: ChannelOutcome.Message } earlier)
            return (OpenOutcome.Message, earlier.MessageId!.Value, earlier.Content);
        return (OpenOutcome.Unreadable, default, null);
    }

    /// <summary>Completes once the server holds the envelope at <paramref name="seq"/> (true) or it will never be sent (false).</summary>
    public Task<bool> WhenSent(long seq)
    {
        if (seq <= ConfirmedSeq || !IsUnsent(seq)) return Task.FromResult(!Ended && IsKnownSent(seq));
        if (!_waiters.TryGetValue(seq, out var waiter))
            _waiters[seq] = waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        return waiter.Task;
    }

    /// <summary>Starts (or continues) sending what is sealed and not yet held by the server. Call under the gate.</summary>
    public void Kick()
    {
        if (_pumping || Halted || Ended || NextUnsent() is null) return;
        _pumping = true;
        _ = Task.Run(PumpAsync);
    }

    /// <summary>After a refusal: the owner has looked at a fresh view and the pump may go on.</summary>
    public void Resume()
    {
        Halted = false;
        Kick();
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            (long Seq, Guid RelayId, byte[] Envelope)? next;
            await _gate.WaitAsync();
            try
            {
                next = Halted || Ended ? null : NextUnsent();
                if (next is null)
                {
                    _pumping = false;
                    return;
                }
            }
            finally
            {
                _gate.Release();
            }

            string? refusal = null;
            try
            {
                await _send(next.Value.Seq, next.Value.RelayId, next.Value.Envelope, _lifetime.Token);
            }
            catch (RelayException e)
            {
                refusal = e.Code;
            }
            catch (Exception)
            {
                // Disposed, or ended meanwhile: what is unsent stays kept, and the next view or write starts again.
                await StopPumpingAsync();
                return;
            }

            await _gate.WaitAsync();
            try
            {
                if (refusal is null)
                {
                    Confirm(next.Value.Seq);
                    continue;
                }
                Halted = true;
                _pumping = false;
                FailWaiters();
            }
            finally
            {
                _gate.Release();
            }
            _refused(refusal);
            return;
        }
    }

    private async Task StopPumpingAsync()
    {
        await _gate.WaitAsync();
        _pumping = false;
        _gate.Release();
    }

    private (long Seq, Guid RelayId, byte[] Envelope)? NextUnsent()
    {
        (long, Guid, byte[])? best = null;
        foreach (var wire in Record.Wires)
            if (wire.Seq > ConfirmedSeq && (best is null || wire.Seq < best.Value.Item1)) best = (wire.Seq, wire.RelayId, wire.Envelope);
        foreach (var entry in Record.Outbox)
            if (entry is { Seq: { } seq, Sent: false } && seq > ConfirmedSeq && (best is null || seq < best.Value.Item1))
                best = (seq, entry.RelayId!.Value, entry.Envelope!);
        return best;
    }

    private bool IsUnsent(long seq) =>
        Record.Wires.Any(w => w.Seq == seq) || Record.Outbox.Any(e => e.Seq == seq && !e.Sent);

    private bool IsKnownSent(long seq) => seq <= ConfirmedSeq || Record.Outbox.Any(e => e.Seq == seq && e.Sent);

    private void Seal(OutboxEntry entry)
    {
        var seq = Record.LastSealedSeq + 1;
        entry.Envelope = Channel!.Seal(entry.MessageId, entry.Content, seq); // too large: throws before any seq is used
        Record.LastSealedSeq = seq;
        entry.Seq = seq;
        entry.RelayId = Guid.NewGuid();
        entry.Generation = Record.Generation;
        entry.Sent = false;
    }

    /// <summary>The attempt under way is over (done or given up): its ephemeral private key is wiped.</summary>
    public void DropHandshake()
    {
        if (Record.Handshake is { } recipe) CryptographicOperations.ZeroMemory(recipe.Ephemeral);
        Record.Handshake = null;
    }

    private static void Unseal(OutboxEntry entry)
    {
        entry.Seq = null;
        entry.RelayId = null;
        entry.Envelope = null;
        entry.Generation = null;
        entry.Sent = false;
    }

    private void Complete(long seq, bool sent)
    {
        if (_waiters.Remove(seq, out var waiter)) waiter.TrySetResult(sent);
    }

    private void FailWaiters()
    {
        foreach (var seq in _waiters.Keys.ToList()) Complete(seq, false);
    }

    public void Dispose()
    {
        _lifetime.Cancel();
        FailWaiters();
        Channel?.Dispose();
        Previous?.Dispose();
        Channel = Previous = null;
    }
}

internal enum OpenOutcome { Redelivered, Message, Unreadable }
