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

    private static readonly string[] Counts =
    [
        nameof(RequestCount.Routine), nameof(RequestCount.Soon), nameof(RequestCount.Crisis),
        nameof(RequestCount.Withdrawn), nameof(RequestCount.Abandoned), nameof(RequestCount.CrisisAlerts),
    ];

    /// <summary>
    /// Adds one to a count of the hour under way in one statement: the hour's first row, or an update in place when it
    /// exists (ON CONFLICT, so two requests or two nodes racing for the hour's first row cannot collide). A count
    /// that cannot be written is logged, and the request goes on.
    /// </summary>
    private async Task AddAsync(string? count)
    {
        var hour = HourOf(time.NowMs());
        try
        {
            await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
            await db.Database.ExecuteSqlRawAsync(UpsertSql(count), hour);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            AuditLog.CountFailed(logger, e.GetType().Name);
        }
    }

    /// <summary>The statement for one count (a column name from <see cref="Counts"/>, never from input), or for none.</summary>
    private static string UpsertSql(string? count)
    {
        var columns = string.Join(", ", Counts.Select(c => $"\"{c}\""));
        var values = string.Join(", ", Counts.Select(c => c == count ? "1" : "0"));
        var onConflict = count is null ? "NOTHING" : $"UPDATE SET \"{count}\" = \"RequestCounts\".\"{count}\" + 1";
        return $"INSERT INTO \"RequestCounts\" (\"HourStart\", {columns}) VALUES ({{0}}, {values}) ON CONFLICT (\"HourStart\") DO {onConflict}";
    }
}
