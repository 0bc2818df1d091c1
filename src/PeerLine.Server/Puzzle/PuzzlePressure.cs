using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Server.Hosting;
using PeerLine.Server.Queue;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Puzzle;

/// <summary>
/// The puzzle's price now: BaseBits plus one bit per doubling of the surplus (requests accepted beyond those that left
/// the queue in the window, plus waiting beyond CalmQueueLength), capped at MaxBits. Read from the database, so every
/// node of a cluster asks the same price, and at most once a second whatever the rate of requests.
/// </summary>
public sealed class PuzzlePressure(
    IDbContextFactory<PeerLineDb> dbs,
    TimeProvider time,
    IOptionsMonitor<PuzzleOptions> options,
    ILogger<PuzzlePressure> logger) : IDisposable
{
    private const long ReadEveryMs = 1000;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile Reading? _last;

    /// <summary>The leading zero bits a new challenge asks for.</summary>
    public async ValueTask<int> BitsAsync(CancellationToken ct)
    {
        if (Fresh(_last) is { } cached) return cached;
        // One read at a time; while it runs, others take the last price rather than queue behind it.
        if (!await _reading.WaitAsync(0, ct))
        {
            if (_last is { } last) return last.Bits;
            await _reading.WaitAsync(ct);
        }
        try
        {
            if (Fresh(_last) is { } again) return again;
            var now = time.NowMs();
            var bits = await ReadAsync(now, ct);
            if (_last is { } previous && previous.Bits != bits) PuzzleLog.PriceChanged(logger, previous.Bits, bits);
            _last = new Reading(now, bits);
            return bits;
        }
        catch (Exception e) when (e is not OperationCanceledException && _last is { } last)
        {
            PuzzleLog.PressureReadFailed(logger, e.GetType().Name);
            return last.Bits;
        }
        finally
        {
            _reading.Release();
        }
    }

    public void Dispose() => _reading.Dispose();

    private int? Fresh(Reading? last) => last is not null && time.NowMs() - last.AtMs < ReadEveryMs ? last.Bits : null;

    private async Task<int> ReadAsync(long now, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var since = now - o.PressureWindowSeconds * 1000L;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var window = await db.Sessions.AsNoTracking()
            .Where(s => s.RequestedAt >= since || s.ClaimedAt >= since || s.ClosedAt >= since)
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Accepted = g.Count(s => s.RequestedAt >= since),
                Claimed = g.Count(s => s.ClaimedAt >= since),
                Dropped = g.Count(s => (s.State == SessionState.Withdrawn || s.State == SessionState.Abandoned) && s.ClosedAt >= since),
            })
            .SingleOrDefaultAsync(ct);
        var waiting = await db.Sessions.CountAsync(s => s.State == SessionState.Waiting, ct);
        var surplus = Math.Max(0, (window?.Accepted ?? 0) - (window?.Claimed ?? 0) - (window?.Dropped ?? 0))
                      + Math.Max(0, waiting - o.CalmQueueLength);
        return Price(o, surplus);
    }

    /// <summary>BaseBits + floor(log2(1 + surplus / SurplusPerBit)), at most MaxBits.</summary>
    public static int Price(PuzzleOptions o, long surplus)
    {
        var extra = (int)Math.Floor(Math.Log2(1 + (double)surplus / o.SurplusPerBit));
        return Math.Min(o.MaxBits, o.BaseBits + extra);
    }

    private sealed record Reading(long AtMs, int Bits);
}
