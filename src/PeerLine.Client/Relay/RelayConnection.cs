using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using PeerLine.Protocol.Wire;

namespace PeerLine.Client.Relay;

/// <summary>
/// A hub connection that does not lose messages: it reconnects on its own, rejoins its sessions, retries a send
/// until the server confirms it is stored (the server drops the duplicate if the first try got through), and hands
/// received messages to the application exactly once, in order, acknowledging each after the handler returns.
/// A send refused with held-full (the recipient has not acknowledged enough yet) waits for a receipt of that lane,
/// or a bounded pause, and is sent again unchanged; later sends of the lane wait behind it.
/// </summary>
public abstract class RelayConnection : IAsyncDisposable
{
    private readonly RelayClientOptions _options;
    private readonly ConcurrentDictionary<string, SessionPipe> _pipes = new(StringComparer.Ordinal);
    private readonly Channel<Inbound> _inbound = Channel.CreateUnbounded<Inbound>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _receipts = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();
    private readonly Task _deliveryLoop;
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _reconnecting;

    protected RelayConnection(RelayClientOptions options, string hubPath)
    {
        _options = options;
        Connection = new HubConnectionBuilder()
            .WithUrl(new Uri(options.Server, hubPath), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = false;
                ConfigureConnection(o);
                options.ConfigureConnection?.Invoke(o);
            })
            .Build();
        Connection.On<RelayEnvelope>(nameof(ICallerClient.MessageReceived), envelope => _inbound.Writer.TryWrite(new(envelope, false)));
        Connection.On<RelayEnvelope>(nameof(ICallerClient.LeadMessageReceived), envelope => _inbound.Writer.TryWrite(new(envelope, true)));
        Connection.On<DeliveryReceipt>(nameof(ICallerClient.MessagesDelivered), r =>
        {
            WakeHeld(Lane(r.SessionId, false));
            Signal(new ReceiptSignal(r, FromLead: false));
            Delivered?.Invoke(r);
        });
        Connection.On<DeliveryReceipt>(nameof(ICallerClient.LeadMessagesDelivered), r =>
        {
            WakeHeld(Lane(r.SessionId, true));
            Signal(new ReceiptSignal(r, FromLead: true));
            LeadDelivered?.Invoke(r);
        });
        Connection.On<SessionChange>(nameof(ICallerClient.SessionChanged), c =>
        {
            WakeHeld(Lane(c.SessionId, false));
            WakeHeld(Lane(c.SessionId, true));
            Signal(new ChangeSignal(c));
            SessionChanged?.Invoke(c);
        });
        Connection.Closed += OnClosedAsync;
        _deliveryLoop = Task.Run(DeliverAsync);
    }

    protected HubConnection Connection { get; }

    /// <summary>Called for each message in order, once. The message is acknowledged when the handler returns.</summary>
    public Func<ReceivedMessage, Task>? MessageReceived { get; set; }

    public event Action<DeliveryReceipt>? Delivered;

    /// <summary>For a caller: the lead acknowledged everything up to a sequence number of the lead lane.</summary>
    public event Action<DeliveryReceipt>? LeadDelivered;
    public event Action<SessionChange>? SessionChanged;

    /// <summary>
    /// Everything else the server tells about sessions (receipts, changes, the views after each rejoin), handed over
    /// on the same ordered path as the messages: a signal is handled after every message that arrived before it.
    /// The end-to-end layer relies on that order (a restart request is read before the receipt that follows it).
    /// </summary>
    public Func<RelaySignal, Task>? SignalReceived { get; set; }

    /// <summary>Puts a signal on the ordered receive path.</summary>
    protected void Signal(RelaySignal signal) => _inbound.Writer.TryWrite(new(null, false, signal));

    /// <summary>Times the connection was re-established after a drop.</summary>
    public int Reconnects { get; private set; }

    /// <summary>Times a send was refused with held-full and waited to be sent again.</summary>
    public int HeldFullWaits => _heldFullWaits;

    private int _heldFullWaits;

    protected virtual void ConfigureConnection(HttpConnectionOptions options) { }

    /// <summary>Rebinds to the server after every (re)connect; returns the views of the sessions this party is in.</summary>
    protected abstract Task<IReadOnlyList<SessionView>> RejoinAsync(CancellationToken ct);

    protected async Task OpenAsync(CancellationToken ct)
    {
        await Connection.StartAsync(ct);
        _ready.TrySetResult();
    }

    /// <summary>A caller's lane with a lead has its own sequence numbers and reorder buffer, under this key.</summary>
    private static string Lane(string sessionId, bool lead) => lead ? sessionId + "\u0001lead" : sessionId;

    /// <summary>
    /// The view goes on the ordered receive path; the delivery loop hands it over and only then syncs the session's
    /// pipes, so the end-to-end layer learns of a session before the first message held for it (syncing here, off the
    /// loop, let a message the loop had already taken through before its view).
    /// </summary>
    protected void Track(SessionView view)
    {
        _pipes.GetOrAdd(view.SessionId, id => new SessionPipe(id)).Sent(view.LastSentSeq); // sends number on at once
        if (view.Lead is { } lead) _pipes.GetOrAdd(Lane(view.SessionId, true), _ => new SessionPipe(view.SessionId)).Sent(lead.LastSentSeq);
        Signal(new ViewSignal(view));
    }

    /// <summary>On the delivery loop, after the view was handed over: what arrived before it, per lane, in order.</summary>
    private IEnumerable<(RelayEnvelope Held, bool FromLead)> SyncPipes(SessionView view)
    {
        foreach (var held in _pipes.GetOrAdd(view.SessionId, id => new SessionPipe(id)).Sync(view)) yield return (held, false);
        if (view.Lead is not { } lead) yield break;
        var laneView = view with { LastSentSeq = lead.LastSentSeq, LastReceivedSeq = lead.LastReceivedSeq };
        foreach (var held in _pipes.GetOrAdd(Lane(view.SessionId, true), _ => new SessionPipe(view.SessionId)).Sync(laneView))
            yield return (held, true);
    }

    /// <summary>After a rejoin that listed every session of this party (staff: the sessions they are in now).</summary>
    protected virtual void Rejoined(IReadOnlyList<SessionView> views) { }

    protected void Forget(string sessionId)
    {
        _pipes.TryRemove(sessionId, out _);
        _pipes.TryRemove(Lane(sessionId, true), out _);
    }

    /// <summary>Stores one ciphertext for the other side; returns its sequence number once the server holds it.</summary>
    protected Task<long> SendAsync(string sessionId, string method, byte[] ciphertext, CancellationToken ct) =>
        SendAsync(sessionId, method, _ => ciphertext, ct);

    /// <summary>
    /// Like <see cref="SendAsync(string, string, byte[], CancellationToken)"/>, for ciphertext bound to its own sequence
    /// number: <paramref name="seal"/> runs once with the number, and a retry resends exactly those bytes.
    /// </summary>
    protected async Task<long> SendAsync(string sessionId, string method, Func<long, byte[]> seal, CancellationToken ct, bool toLead = false)
    {
        var pipe = _pipes.TryGetValue(Lane(sessionId, toLead), out var p) ? p : throw new RelayException(ErrorCodes.NotFound);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposed.Token);
        timeout.CancelAfter(_options.SendTimeout);

        await pipe.SendGate.WaitAsync(timeout.Token);
        try
        {
            var seq = pipe.NextSendSeq();
            var id = Guid.NewGuid();
            var ciphertext = seal(seq);
            try
            {
                await UntilHeldAsync(Lane(sessionId, toLead), () => Connection.InvokeAsync(method, sessionId, id, seq, ciphertext, timeout.Token), timeout.Token);
            }
            catch (RelayException)
            {
                pipe.Unsend(seq);
                throw;
            }
            return seq;
        }
        finally
        {
            pipe.SendGate.Release();
        }
    }

    /// <summary>
    /// Sends one envelope already sealed (and kept) for its sequence number, under the relay message id it was kept
    /// with: a retry, also after a restart, repeats exactly these bytes, id and number. One send in flight at a time per lane.
    /// </summary>
    protected async Task SendSealedAsync(
        string sessionId, string method, Guid relayId, long seq, byte[] envelope, CancellationToken ct, bool toLead = false)
    {
        var pipe = _pipes.GetOrAdd(Lane(sessionId, toLead), _ => new SessionPipe(sessionId));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposed.Token);
        await pipe.SendGate.WaitAsync(linked.Token);
        try
        {
            await UntilHeldAsync(Lane(sessionId, toLead), () => Connection.InvokeAsync(method, sessionId, relayId, seq, envelope, linked.Token), linked.Token);
            pipe.Sent(seq);
        }
        finally
        {
            pipe.SendGate.Release();
        }
    }

    /// <summary>
    /// A send, repeated unchanged after held-full once the lane's recipient acknowledged something (a receipt, a change
    /// of the session, a reconnect) or a pause passed, whichever comes first; the pauses double up to
    /// <see cref="RelayClientOptions.MaxHeldFullPause"/>. Nothing is shown as delivered meanwhile: only receipts say that.
    /// </summary>
    private async Task UntilHeldAsync(string lane, Func<Task> send, CancellationToken ct)
    {
        var pause = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            var receipt = _receipts.GetOrAdd(lane, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            try
            {
                await WithRetryAsync(send, ct);
                return;
            }
            catch (RelayException e) when (e.Code == ErrorCodes.HeldFull)
            {
                Interlocked.Increment(ref _heldFullWaits);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                await Task.WhenAny(receipt, Task.Delay(pause, wait.Token));
                await wait.CancelAsync();
                ct.ThrowIfCancellationRequested();
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, _options.MaxHeldFullPause.TotalMilliseconds));
            }
        }
    }

    /// <summary>Something may have freed room in <paramref name="lane"/>: a send waiting after held-full tries again.</summary>
    private void WakeHeld(string lane)
    {
        if (_receipts.TryRemove(lane, out var waiting)) waiting.TrySetResult();
    }

    /// <summary>Runs a hub call, waiting out dropped connections and server restarts; refusals are thrown as <see cref="RelayException"/>.</summary>
    protected async Task<T> WithRetryAsync<T>(Func<Task<T>> call, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            await _ready.Task.WaitAsync(ct);
            try
            {
                return await call();
            }
            catch (HubException e) when (Code(e) is not ErrorCodes.Unavailable and not ErrorCodes.RateLimited)
            {
                throw new RelayException(Code(e));
            }
            catch (Exception e) when (e is not RelayException && !ct.IsCancellationRequested)
            {
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, _options.MaxReconnectDelay.TotalMilliseconds));
            }
        }
    }

    protected Task WithRetryAsync(Func<Task> call, CancellationToken ct) =>
        WithRetryAsync(async () => { await call(); return true; }, ct);

    private static string Code(HubException e)
    {
        // The server sends only the code; SignalR prefixes it with its own wording.
        var message = e.Message;
        var colon = message.LastIndexOf(':');
        return (colon >= 0 ? message[(colon + 1)..] : message).Trim();
    }

    private async Task DeliverAsync()
    {
        var acks = new AckPump(Connection, this);
        await foreach (var (envelope, fromLead, signal) in _inbound.Reader.ReadAllAsync(_disposed.Token).ConfigureAwait(false))
        {
            if (signal is not null)
            {
                if (SignalReceived is { } onSignal) await UntilHandledAsync(() => onSignal(signal));
                if (signal is ViewSignal { View: var view })
                    foreach (var (held, lead) in SyncPipes(view).ToList()) await HandOverAsync(held, lead, acks);
                continue;
            }
            await HandOverAsync(envelope!, fromLead, acks);
        }
    }

    private async Task HandOverAsync(RelayEnvelope envelope, bool fromLead, AckPump acks)
    {
        var pipe = _pipes.GetOrAdd(Lane(envelope.SessionId, fromLead), _ => new SessionPipe(envelope.SessionId));
        foreach (var ready in pipe.Arrive(envelope))
        {
            if (MessageReceived is { } handler)
            {
                var received = new ReceivedMessage(ready.SessionId, ready.Seq, ready.MessageId, ready.Ciphertext, fromLead);
                await UntilHandledAsync(() => handler(received));
            }
            acks.Acknowledge(ready.SessionId, ready.Seq, fromLead);
        }
    }

    /// <summary>
    /// A handler that fails (its store could not write, say) has not kept the message: it is not acknowledged, and the
    /// same message is handed over again after a pause, until the handler succeeds or the connection is disposed.
    /// </summary>
    private async Task UntilHandledAsync(Func<Task> handle)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await handle();
                return;
            }
            catch (Exception) when (!_disposed.IsCancellationRequested)
            {
                HandlerFailures++;
                await Task.Delay(delay, _disposed.Token);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    /// <summary>Times a message or signal handler failed and was run again.</summary>
    public int HandlerFailures { get; private set; }

    private readonly record struct Inbound(RelayEnvelope? Envelope, bool FromLead, RelaySignal? Signal = null);

    private Task OnClosedAsync(Exception? error)
    {
        if (_disposed.IsCancellationRequested) return Task.CompletedTask;
        if (Interlocked.Exchange(ref _reconnecting, 1) == 1) return Task.CompletedTask;
        _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(ReconnectAsync);
        return Task.CompletedTask;
    }

    private async Task ReconnectAsync()
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (!_disposed.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, _disposed.Token);
                await Connection.StartAsync(_disposed.Token);
                var views = await RejoinAsync(_disposed.Token);
                foreach (var view in views) Track(view);
                Rejoined(views);
                Reconnects++;
                Interlocked.Exchange(ref _reconnecting, 0);
                _ready.TrySetResult();
                foreach (var lane in _receipts.Keys) WakeHeld(lane); // receipts missed while away are in the views
                return;
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                if (Connection.State != HubConnectionState.Disconnected)
                    try { await Connection.StopAsync(); } catch (Exception) { /* already gone */ }
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, _options.MaxReconnectDelay.TotalMilliseconds));
            }
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        _inbound.Writer.TryComplete();
        // An application handler that never returns must not hold the disposal forever.
        try { await _deliveryLoop.WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException) { }
        await Connection.DisposeAsync();
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Cumulative acks, coalesced and sent off the receive path (a handler must not wait on its own connection).
    /// A lost ack only means a redelivery, which the pipe drops.
    /// </summary>
    private sealed class AckPump(HubConnection connection, RelayConnection owner)
    {
        private readonly ConcurrentDictionary<(string SessionId, bool Lead), long> _wanted = new();
        private int _running;

        public void Acknowledge(string sessionId, long seq, bool fromLead)
        {
            _wanted.AddOrUpdate((sessionId, fromLead), seq, (_, old) => Math.Max(old, seq));
            if (Interlocked.Exchange(ref _running, 1) == 0) _ = Task.Run(PumpAsync);
        }

        private async Task PumpAsync()
        {
            while (true)
            {
                foreach (var (lane, seq) in _wanted.ToArray())
                {
                    try
                    {
                        await owner._ready.Task.WaitAsync(owner._disposed.Token);
                        var method = lane.Lead ? nameof(ICallerHub.AcknowledgeLead) : owner.AcknowledgeMethod;
                        await connection.InvokeAsync(method, lane.SessionId, seq, owner._disposed.Token);
                        _wanted.TryRemove(new KeyValuePair<(string, bool), long>(lane, seq));
                    }
                    catch (HubException)
                    {
                        // Refused (the session closed meanwhile): nothing left to acknowledge.
                        _wanted.TryRemove(new KeyValuePair<(string, bool), long>(lane, seq));
                    }
                    catch (Exception) when (!owner._disposed.IsCancellationRequested)
                    {
                        await Task.Delay(50);
                    }
                    catch (Exception)
                    {
                        return;
                    }
                }
                Interlocked.Exchange(ref _running, 0);
                if (_wanted.IsEmpty || Interlocked.Exchange(ref _running, 1) == 1) return;
            }
        }
    }

    protected abstract string AcknowledgeMethod { get; }
}
