using Microsoft.EntityFrameworkCore;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Wellbeing;

/// <summary>One shift of a supporter, from start to end: the basis of the weekly hours. Times only, nothing else.</summary>
public sealed class ShiftRecord
{
    public long Number { get; set; }
    public required string SupporterId { get; set; }
    public long StartedAt { get; set; }
    public long? EndedAt { get; set; }
}

public static class ShiftRecords
{
    public static void Open(PeerLineDb db, string supporterId, long now) =>
        db.ShiftRecords.Add(new ShiftRecord { SupporterId = supporterId, StartedAt = now });

    public static Task<int> CloseOpenAsync(PeerLineDb db, string supporterId, long now, CancellationToken ct) =>
        db.ShiftRecords.Where(r => r.SupporterId == supporterId && r.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.EndedAt, now), ct);

    /// <summary>Milliseconds on shift within the seven days before <paramref name="now"/> (an open shift counts up to now).</summary>
    public static async Task<long> LastWeekMsAsync(PeerLineDb db, string supporterId, long now, CancellationToken ct)
    {
        var since = now - 7 * 24 * 3_600_000L;
        var shifts = await db.ShiftRecords
            .Where(r => r.SupporterId == supporterId && (r.EndedAt == null || r.EndedAt > since))
            .Select(r => new { r.StartedAt, r.EndedAt }).ToListAsync(ct);
        return shifts.Sum(r => Math.Max(0, (r.EndedAt ?? now) - Math.Max(r.StartedAt, since)));
    }
}
