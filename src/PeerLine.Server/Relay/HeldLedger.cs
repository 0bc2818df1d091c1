using System.Collections.Concurrent;

namespace PeerLine.Server.Relay;

/// <summary>
/// The relay writer's memory of what each session holds, per direction: the sequence number and size of every stored,
/// unacknowledged message, so the quota check costs no query. Only the writer loop reads and changes it. A session is
/// seeded from the database the first time the loop needs it (so a restart starts from the truth), and forgotten when
/// something else deleted its messages (a lead leaving, a transfer), when a batch failed, and when it was left untouched
/// for a while; the next send seeds it again.
/// </summary>
public sealed class HeldLedger(TimeProvider time)
{
    private static readonly TimeSpan Unused = TimeSpan.FromMinutes(10);
    private readonly Dictionary<string, Held> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _forget = new();
    private long _nextTrim;

    /// <summary>From any thread: the session's messages were deleted outside the writer; it is seeded again when next needed.</summary>
    public void Forget(string sessionId) => _forget.Enqueue(sessionId);

    /// <summary>Writer loop, at the start of a batch: applies the forgetting asked for, and drops sessions unused for a while.</summary>
    public void BeginBatch()
    {
        while (_forget.TryDequeue(out var id)) _sessions.Remove(id);
        var now = time.GetTimestamp();
        if (now < _nextTrim) return;
        _nextTrim = now + (long)(Unused.TotalSeconds * time.TimestampFrequency);
        var before = now - (long)(Unused.TotalSeconds * time.TimestampFrequency);
        foreach (var (id, held) in _sessions)
            if (held.LastUsed < before) _sessions.Remove(id);
    }

    public bool Knows(string sessionId) => _sessions.ContainsKey(sessionId);

    /// <summary>What the database holds for a session not known yet (every direction; none is an empty session).</summary>
    public void Seed(string sessionId, IEnumerable<(Direction Direction, long Seq, int Bytes)> stored)
    {
        var held = new Held { LastUsed = time.GetTimestamp() };
        foreach (var (direction, seq, bytes) in stored.OrderBy(s => s.Seq)) held.Lane(direction).Add(seq, bytes);
        _sessions[sessionId] = held;
    }

    /// <summary>Whether one more message of <paramref name="bytes"/> stays within both limits.</summary>
    public bool Fits(string sessionId, Direction direction, int bytes, int maxMessages, long maxBytes)
    {
        var lane = Touch(sessionId).Lane(direction);
        return lane.Count < maxMessages && lane.Bytes + bytes <= maxBytes;
    }

    public void Stored(string sessionId, Direction direction, long seq, int bytes) => Touch(sessionId).Lane(direction).Add(seq, bytes);

    /// <summary>The recipient acknowledged up to <paramref name="upToSeq"/>: those messages are deleted.</summary>
    public void Acknowledged(string sessionId, Direction direction, long upToSeq)
    {
        if (_sessions.TryGetValue(sessionId, out var held)) held.Lane(direction).RemoveUpTo(upToSeq);
    }

    /// <summary>Writer loop: the session ended or a batch failed; what is known of it may be wrong now.</summary>
    public void Drop(string sessionId) => _sessions.Remove(sessionId);

    private Held Touch(string sessionId)
    {
        var held = _sessions[sessionId];
        held.LastUsed = time.GetTimestamp();
        return held;
    }

    private sealed class Held
    {
        private readonly HeldLane[] _lanes = [new(), new(), new(), new()];
        public long LastUsed { get; set; }
        public HeldLane Lane(Direction d) => _lanes[(int)d];
    }

    private sealed class HeldLane
    {
        private readonly Queue<(long Seq, int Bytes)> _held = new();
        public int Count => _held.Count;
        public long Bytes { get; private set; }

        public void Add(long seq, int bytes)
        {
            _held.Enqueue((seq, bytes));
            Bytes += bytes;
        }

        public void RemoveUpTo(long seq)
        {
            while (_held.TryPeek(out var first) && first.Seq <= seq) Bytes -= _held.Dequeue().Bytes;
        }
    }
}
