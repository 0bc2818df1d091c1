namespace PeerLine.Server.Puzzle;

/// <summary>
/// Challenges already answered, kept in memory until they expire, grouped by the second they were issued. The set is
/// bounded: when full, the oldest seconds are dropped and every challenge issued up to them is refused from then on
/// (a floor), so a flood of spent challenges shortens how long a challenge lives but never lets one be used twice.
/// </summary>
public sealed class SpentChallenges(int capacity = SpentChallenges.DefaultCapacity)
{
    public const int DefaultCapacity = 200_000;
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, HashSet<UInt128>> _byIssuedAt = [];
    private int _count;
    private long _floor = long.MinValue;

    /// <summary>
    /// Marks a challenge as used; false when it was used before or was issued at or before the floor. Challenges issued
    /// before <paramref name="expiredBefore"/> are forgotten first: they are refused as expired anyway.
    /// </summary>
    public bool TrySpend(long issuedAt, UInt128 id, long expiredBefore)
    {
        lock (_lock)
        {
            Prune(expiredBefore);
            if (issuedAt <= _floor) return false;
            if (!_byIssuedAt.TryGetValue(issuedAt, out var ids)) _byIssuedAt[issuedAt] = ids = [];
            if (!ids.Add(id)) return false;
            _count++;
            while (_count > capacity)
            {
                var (oldest, dropped) = _byIssuedAt.First();
                _byIssuedAt.Remove(oldest);
                _count -= dropped.Count;
                _floor = Math.Max(_floor, oldest);
            }
            return issuedAt > _floor;
        }
    }

    private void Prune(long expiredBefore)
    {
        while (_byIssuedAt.Count > 0 && _byIssuedAt.First() is var (oldest, ids) && oldest < expiredBefore)
        {
            _byIssuedAt.Remove(oldest);
            _count -= ids.Count;
        }
    }
}
