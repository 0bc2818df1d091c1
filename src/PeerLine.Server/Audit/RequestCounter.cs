using Microsoft.EntityFrameworkCore;
using PeerLine.Server.Hosting;
using PeerLine.Server.Queue;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Audit;

/// <summary>
/// Counts requests and their unanswered ends in the database, one row per hour updated in place, so that a request
/// nobody claimed leaves no record of its own and a restart loses no count (<see cref="HourlyRequestCounts"/> closes the hours).
/// </summary>
public sealed class RequestCounter(IDbContextFactory<PeerLineDb> dbs, TimeProvider time, ILogger<RequestCounter> logger)
{
    private const int Attempts = 3;

    public Task RequestedAsync(Priority priority) => AddAsync(priority switch
    {
        Priority.Crisis => nameof(RequestCount.Crisis),
        Priority.Soon => nameof(RequestCount.Soon),
        _ => nameof(RequestCount.Routine),
    });

    /// <param name="away">Gone past the grace period (abandoned) rather than withdrawn by the caller.</param>
    public Task LeftUnansweredAsync(bool away) => AddAsync(away ? nameof(RequestCount.Abandoned) : nameof(RequestCount.Withdrawn));

    public Task CrisisAlertSentAsync() => AddAsync(nameof(RequestCount.CrisisAlerts));

    /// <summary>Makes sure the hour under way has a row (so that it is closed with the number then waiting), without counting anything.</summary>
    public Task KeepHourAsync() => AddAsync(null);

    public static long HourOf(long ms) => ms - ms % 3_600_000L;

    /// <summary>
    /// Adds one to a count of the hour under way: an update in place, or the hour's first row. Two nodes racing to
    /// insert the same hour collide on the key, and the loser updates. A count that cannot be written is logged, and
    /// the request goes on.
    /// </summary>
    private async Task AddAsync(string? count)
    {
        var hour = HourOf(time.NowMs());
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
                if (count is not null && await db.RequestCounts.Where(c => c.HourStart == hour)
                        .ExecuteUpdateAsync(u => u.SetProperty(c => EF.Property<long>(c, count), c => EF.Property<long>(c, count) + 1)) == 1)
                    return;
                if (await db.RequestCounts.AnyAsync(c => c.HourStart == hour)) return; // KeepHour, and the row is there
                var row = new RequestCount { HourStart = hour };
                if (count is not null) db.Entry(row).Property(count).CurrentValue = 1L;
                db.RequestCounts.Add(row);
                await db.SaveChangesAsync();
                return;
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                AuditLog.CountFailed(logger, e.GetType().Name);
                return;
            }
        }
    }
}
