using Microsoft.EntityFrameworkCore;
using PeerLine.Server.Hosting;
using PeerLine.Server.Queue;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Audit;

/// <summary>
/// Closes the request counts of finished hours: each becomes one <see cref="RequestsHourly"/> event, with the number of
/// requests waiting at the close, and its row is deleted. An hour with requests still waiting keeps a row even when
/// nothing else happened in it, so the trail can say how many were open at any hour's end. Run by the checkpointer's pass.
/// </summary>
public sealed class HourlyRequestCounts(IDbContextFactory<PeerLineDb> dbs, RequestCounter counter, AuditTrail trail, TimeProvider time)
{
    public async Task CloseFinishedHoursAsync(CancellationToken ct)
    {
        var current = RequestCounter.HourOf(time.NowMs());
        await using var db = await dbs.CreateDbContextAsync(ct);
        var waiting = await db.Sessions.CountAsync(s => s.State == SessionState.Waiting, ct);
        if (waiting > 0) await counter.KeepHourAsync();

        var finished = await db.RequestCounts.AsNoTracking().Where(c => c.HourStart < current).OrderBy(c => c.HourStart).ToListAsync(ct);
        foreach (var c in finished)
        {
            // Taken only as read: another node closing the same hour, or a count still landing in it, leaves it for a later pass.
            var taken = await db.RequestCounts.Where(r => r.HourStart == c.HourStart && r.Routine == c.Routine && r.Soon == c.Soon
                    && r.Crisis == c.Crisis && r.Withdrawn == c.Withdrawn && r.Abandoned == c.Abandoned && r.CrisisAlerts == c.CrisisAlerts)
                .ExecuteDeleteAsync(ct);
            if (taken != 1) continue;
            await trail.RecordAsync(new RequestsHourly(DateTimeOffset.FromUnixTimeMilliseconds(c.HourStart),
                c.Routine, c.Soon, c.Crisis, c.Withdrawn, c.Abandoned, c.CrisisAlerts, waiting));
        }
    }
}
