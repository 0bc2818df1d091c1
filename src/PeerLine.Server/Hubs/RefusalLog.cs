using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace PeerLine.Server.Hubs;

/// <summary>
/// Refusals (throttling, per-source limits, failed puzzles, refused calls) under a flood must not become a flood of
/// log lines. The first refusal of each (method, code) in a window is logged at once; the rest are counted and
/// logged as one line when the window ends. Methods and codes are the server's own names, so the lines per window
/// are bounded whatever a client does.
/// </summary>
public sealed class RefusalLog : IDisposable
{
    private const int MaxKeys = 512;
    private readonly ConcurrentDictionary<(string Method, string Code), Counter> _counts = new();
    private readonly ILogger<RefusalLog> _logger;
    private readonly ITimer _timer;
    private readonly int _windowSeconds;

    public RefusalLog(TimeProvider time, IOptions<HubLimitsOptions> options, ILogger<RefusalLog> logger)
    {
        _logger = logger;
        _windowSeconds = options.Value.RefusalLogWindowSeconds;
        var window = TimeSpan.FromSeconds(_windowSeconds);
        _timer = time.CreateTimer(_ => Flush(), null, window, window);
    }

    /// <summary>Notes one refusal of <paramref name="method"/> (a hub method or an endpoint's name) with its code.</summary>
    public void Note(string method, string code)
    {
        var key = _counts.Count < MaxKeys || _counts.ContainsKey((method, code)) ? (method, code) : ("other", "other");
        var counter = _counts.GetOrAdd(key, _ => new Counter());
        if (Interlocked.Increment(ref counter.Seen) == 1) HubLog.Refused(_logger, key.Item1, key.Item2);
    }

    /// <summary>Ends the window: one line per key refused more than once, then every count starts again.</summary>
    public void Flush()
    {
        foreach (var (key, counter) in _counts)
        {
            var seen = Interlocked.Exchange(ref counter.Seen, 0);
            if (seen > 1) HubLog.RefusedRepeatedly(_logger, key.Method, seen - 1, _windowSeconds, key.Code);
            if (seen == 0) _counts.TryRemove(key, out _);
        }
    }

    public void Dispose() => _timer.Dispose();

    private sealed class Counter
    {
        public long Seen;
    }
}
