using Microsoft.Extensions.Options;

namespace PeerLine.Server.Abuse;

/// <summary>
/// What each source has open, in memory only: caller-hub connections, the sessions it asked for, and when it asked.
/// Keyed by the source hash; an entry goes as soon as nothing is counted in it, and with its key (two key periods
/// after it was last used). Never logged, stored or exported.
/// </summary>
public sealed class SourceTracker : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly Dictionary<UInt128, SourceEntry> _entries = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly SourceKeys _keys;
    private readonly IOptionsMonitor<AbuseOptions> _options;
    private readonly ITimer _sweeper;
    private int _callerConnections;

    public SourceTracker(TimeProvider time, SourceKeys keys, IOptionsMonitor<AbuseOptions> options)
    {
        _time = time;
        _keys = keys;
        _options = options;
        _sweeper = time.CreateTimer(_ => Sweep(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    /// <summary>Sources tracked now (for tests and the docs' memory estimate).</summary>
    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    /// <summary>Whether one more caller connection from <paramref name="source"/> would still be within the caps.</summary>
    public bool CanConnect(CallerSource source)
    {
        var o = _options.CurrentValue;
        lock (_lock)
        {
            return _callerConnections < o.MaxCallerConnections && (Find(source, create: false)?.Connections ?? 0) < o.ConnectionsPerSource;
        }
    }

    /// <summary>Counts a caller connection until the returned lease is disposed; null when a cap is reached.</summary>
    public IDisposable? TryConnect(CallerSource source)
    {
        var o = _options.CurrentValue;
        lock (_lock)
        {
            if (_callerConnections >= o.MaxCallerConnections) return null;
            var entry = Find(source, create: true);
            if (entry is not null && entry.Connections >= o.ConnectionsPerSource) return null;
            _callerConnections++;
            if (entry is not null) entry.Connections++;
            return new ConnectionLease(this, entry);
        }
    }

    /// <summary>Sessions the source asked for that may still be waiting (the caller checks which really are).</summary>
    public IReadOnlyList<string> RequestedSessions(CallerSource source)
    {
        lock (_lock) return Find(source, create: false)?.Sessions.ToList() ?? [];
    }

    /// <summary>
    /// Holds a place for one request if the source is under both caps, counting <paramref name="stillWaiting"/> of its
    /// earlier sessions as waiting (the others are forgotten). Null when a cap is reached.
    /// </summary>
    public RequestSlot? TryReserveRequest(CallerSource source, IReadOnlyCollection<string> checkedSessions, IReadOnlySet<string> stillWaiting)
    {
        var o = _options.CurrentValue;
        lock (_lock)
        {
            var entry = Find(source, create: true);
            if (entry is null) return new RequestSlot(this, null);
            var gone = checkedSessions.Except(stillWaiting).ToHashSet();
            entry.Sessions.RemoveAll(gone.Contains);
            ForgetOldRequests(entry);
            if (entry.Sessions.Count + entry.Pending >= o.WaitingPerSource) return null;
            if (entry.RequestTimes.Count + entry.Pending >= o.RequestsPerSourcePerHour) return null;
            entry.Pending++;
            return new RequestSlot(this, entry);
        }
    }

    /// <summary>Drops sources with nothing counted and sources whose key is gone.</summary>
    public void Sweep()
    {
        var oldest = _keys.Generation - 1;
        lock (_lock)
        {
            foreach (var (id, entry) in _entries)
            {
                ForgetOldRequests(entry);
                if (entry.Generation < oldest || entry.IsEmpty) _entries.Remove(id);
            }
        }
    }

    public void Dispose() => _sweeper.Dispose();

    /// <summary>The source's entry, moved to the current key if it was made under the previous one.</summary>
    private SourceEntry? Find(CallerSource source, bool create)
    {
        if (_entries.TryGetValue(source.Id, out var entry))
        {
            if (entry.Generation >= source.Generation - 1) return entry;
            _entries.Remove(source.Id);
        }
        if (source.PreviousId is { } previousId && _entries.Remove(previousId, out entry) && entry.Generation >= source.Generation - 1)
        {
            entry.Generation = source.Generation;
            entry.Key = source.Id;
            _entries[source.Id] = entry;
            return entry;
        }
        if (!create || _entries.Count >= _options.CurrentValue.MaxTrackedSources) return null;
        entry = new SourceEntry { Generation = source.Generation, Key = source.Id };
        _entries[source.Id] = entry;
        return entry;
    }

    private void ForgetOldRequests(SourceEntry entry)
    {
        var hourAgo = _time.GetUtcNow() - Hour;
        while (entry.RequestTimes.TryPeek(out var at) && at <= hourAgo) entry.RequestTimes.Dequeue();
        // A request still waiting after its hour is no longer counted, so an entry cannot outlive its requests.
        if (entry.RequestTimes.Count == 0) entry.Sessions.Clear();
    }

    private void Release(SourceEntry entry)
    {
        if (entry.IsEmpty && _entries.TryGetValue(entry.Key, out var current) && current == entry) _entries.Remove(entry.Key);
    }

    internal sealed class SourceEntry
    {
        public long Generation;
        public UInt128 Key;
        public int Connections;
        public int Pending;
        public readonly Queue<DateTimeOffset> RequestTimes = new();
        public readonly List<string> Sessions = [];

        public bool IsEmpty => Connections == 0 && Pending == 0 && RequestTimes.Count == 0 && Sessions.Count == 0;
    }

    private sealed class ConnectionLease(SourceTracker tracker, SourceEntry? entry) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            lock (tracker._lock)
            {
                tracker._callerConnections--;
                if (entry is null) return;
                entry.Connections--;
                tracker.Release(entry);
            }
        }
    }

    /// <summary>A request in progress: <see cref="Accept"/> records it under the source; disposing without it frees the place.</summary>
    public sealed class RequestSlot : IDisposable
    {
        private readonly SourceTracker _tracker;
        private readonly SourceEntry? _entry;
        private int _done;

        internal RequestSlot(SourceTracker tracker, SourceEntry? entry)
        {
            _tracker = tracker;
            _entry = entry;
        }

        public void Accept(string sessionId)
        {
            if (Interlocked.Exchange(ref _done, 1) == 1 || _entry is null) return;
            lock (_tracker._lock)
            {
                _entry.Pending--;
                _entry.RequestTimes.Enqueue(_tracker._time.GetUtcNow());
                _entry.Sessions.Add(sessionId);
                _tracker.Release(_entry);
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 1 || _entry is null) return;
            lock (_tracker._lock)
            {
                _entry.Pending--;
                _tracker.Release(_entry);
            }
        }
    }
}
