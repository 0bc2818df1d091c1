using PeerLine.Protocol.Wire;

namespace PeerLine.Client.Relay;

/// <summary>
/// One session's two directions as a client sees them: the next sequence number to send, and the inbound
/// reorder buffer that turns at-least-once, possibly out-of-order arrivals into exactly-once, in-order delivery.
/// </summary>
internal sealed class SessionPipe(string sessionId)
{
    private readonly SortedDictionary<long, RelayEnvelope> _early = [];
    private readonly Lock _gate = new();
    private long _lastSent;
    private long _delivered;
    private bool _synced;

    public string SessionId { get; } = sessionId;

    /// <summary>One send of this lane in flight at a time, so its sequence numbers reach the server in order.</summary>
    public SemaphoreSlim SendGate { get; } = new(1, 1);

    public long NextSendSeq() { lock (_gate) return ++_lastSent; }

    /// <summary>The server holds <paramref name="seq"/> (sent by the end-to-end layer with its own numbering).</summary>
    public void Sent(long seq) { lock (_gate) _lastSent = Math.Max(_lastSent, seq); }

    /// <summary>The server refused the send outright: its number was not used and goes to the next message.</summary>
    public void Unsend(long seq) { lock (_gate) if (_lastSent == seq) _lastSent--; }

    /// <summary>
    /// Takes the server's view after (re)joining: never moves backwards. The server sends stored messages before
    /// it answers the call that returns the view, so a pipe holds arrivals until its first view and then hands
    /// them back to be delivered.
    /// </summary>
    public List<RelayEnvelope> Sync(SessionView view)
    {
        lock (_gate)
        {
            _lastSent = Math.Max(_lastSent, view.LastSentSeq);
            _delivered = Math.Max(_delivered, view.LastReceivedSeq);
            foreach (var stale in _early.Keys.Where(k => k <= _delivered).ToList()) _early.Remove(stale);
            if (_synced) return [];
            _synced = true;
            var held = _early.Values.ToList();
            _early.Clear();
            return held;
        }
    }

    /// <summary>Accepts an arrival and returns whatever is now deliverable in order (possibly nothing: a duplicate or a gap).</summary>
    public List<RelayEnvelope> Arrive(RelayEnvelope envelope)
    {
        lock (_gate)
        {
            var ready = new List<RelayEnvelope>();
            if (envelope.Seq <= _delivered) return ready;
            _early.TryAdd(envelope.Seq, envelope);
            if (!_synced) return ready;
            while (_early.Remove(_delivered + 1, out var next))
            {
                ready.Add(next);
                _delivered++;
            }
            return ready;
        }
    }
}
