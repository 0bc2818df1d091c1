using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Audit;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Metrics;

/// <summary>
/// Program metrics for leads and auditors, computed from the audit trail (so they outlive the session rows) and
/// the weekly feedback counts, for whole weeks only (by default), and published only through <see cref="SmallCounts"/>.
/// </summary>
public sealed class MetricsService(IDbContextFactory<PeerLineDb> dbs, TimeProvider time, IOptions<MetricsOptions> options)
{
    public async Task<ProgramMetricsReport> ReportAsync(int? weeks, CancellationToken ct)
    {
        var o = options.Value;
        var count = Math.Clamp(weeks ?? o.DefaultWeeks, 1, o.MaxWeeks);
        var lastWeek = Weeks.StartOf(time.GetUtcNow()).AddDays(o.IncludeCurrentWeek ? 0 : -7);
        var starts = Enumerable.Range(0, count).Select(i => lastWeek.AddDays(-7 * (count - 1 - i))).ToList();
        var from = starts[0].ToUnixTimeMilliseconds();
        var until = lastWeek.AddDays(7).ToUnixTimeMilliseconds();

        await using var db = await dbs.CreateDbContextAsync(ct);
        var kinds = new[] { AuditKinds.SessionRequested, AuditKinds.SessionClaimed, AuditKinds.SessionAbandoned, AuditKinds.SessionClosed,
            AuditKinds.DispositionRecorded, AuditKinds.ResourceOffered };
        var rows = await db.AuditEvents.AsNoTracking()
            .Where(r => r.At >= from && r.At < until && kinds.Contains(r.Kind)).OrderBy(r => r.Seq).ToListAsync(ct);
        var events = rows.Select(AuditTrail.ToRecord).ToList();
        var feedback = await db.FeedbackCounts.AsNoTracking().Where(f => f.WeekStart >= from && f.WeekStart < until).ToListAsync(ct);

        int WeekOf(AuditRecord r) => starts.FindLastIndex(s => s <= r.At);
        var sessions = SessionsTable(events, WeekOf, count);
        var tables = new List<(string Id, string[] Columns, long[,] Cells)>
        {
            (MetricTables.Sessions, [MetricColumns.Answered, MetricColumns.Abandoned, MetricColumns.Open], sessions),
            (MetricTables.Dispositions, [.. Dispositions.All, MetricColumns.NoDisposition], DispositionsTable(events, WeekOf, count)),
            (MetricTables.Resources, [.. ResourceKinds.All],
                Count(events.Where(e => e.Kind == AuditKinds.ResourceOffered), WeekOf, count, ResourceKinds.All, e => e.Code("resource"))),
        };
        foreach (var (question, answers) in FeedbackQuestions.Answers)
            tables.Add((MetricTables.Feedback(question), [.. answers], FeedbackTable(feedback, starts, question, answers)));

        var weekNames = starts.Select(s => s.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        var published = tables.Select(t => Publish(t.Id, t.Columns, t.Cells, o.SuppressUpTo, weekNames)).ToList();
        return new ProgramMetricsReport(weekNames, o.SuppressUpTo, published, Waits(events, WeekOf, published[0], weekNames));
    }

    /// <summary>
    /// Each request, in the week it was made, with its outcome by the end of that week: answered (claimed), abandoned,
    /// or still open. Only events of the same week count, so a week's row never changes once the week is over.
    /// </summary>
    private static long[,] SessionsTable(List<AuditRecord> events, Func<AuditRecord, int> weekOf, int weeks)
    {
        var claimed = FirstWeekOf(events, AuditKinds.SessionClaimed, weekOf);
        var abandoned = FirstWeekOf(events, AuditKinds.SessionAbandoned, weekOf);
        var cells = new long[weeks, 3];
        foreach (var request in events.Where(e => e.Kind == AuditKinds.SessionRequested))
        {
            var (session, week) = (request.Code("session")!, weekOf(request));
            cells[week, claimed.GetValueOrDefault(session, -1) == week ? 0 : abandoned.GetValueOrDefault(session, -1) == week ? 1 : 2]++;
        }
        return cells;
    }

    /// <summary>Each closed session in the week it closed, with its disposition by the end of that week (a later recorded one wins).</summary>
    private static long[,] DispositionsTable(List<AuditRecord> events, Func<AuditRecord, int> weekOf, int weeks)
    {
        var recorded = events.Where(e => e.Kind == AuditKinds.DispositionRecorded)
            .GroupBy(e => e.Code("session")!).ToDictionary(g => g.Key, g => g.ToList());
        string[] columns = [.. Dispositions.All, MetricColumns.NoDisposition];
        return Count(events.Where(e => e.Kind == AuditKinds.SessionClosed), weekOf, weeks, columns, close =>
            close.Code("disposition") == MetricColumns.NoDisposition && recorded.TryGetValue(close.Code("session")!, out var later)
                && later.LastOrDefault(r => weekOf(r) == weekOf(close)) is { } sameWeek
                ? sameWeek.Code("disposition")
                : close.Code("disposition"));
    }

    /// <summary>Per session, the week of its first event of this kind.</summary>
    private static Dictionary<string, int> FirstWeekOf(List<AuditRecord> events, string kind, Func<AuditRecord, int> weekOf) =>
        events.Where(e => e.Kind == kind).GroupBy(e => e.Code("session")!).ToDictionary(g => g.Key, g => weekOf(g.First()));

    private static long[,] Count(
        IEnumerable<AuditRecord> events, Func<AuditRecord, int> weekOf, int weeks, IReadOnlyList<string> columns, Func<AuditRecord, string?> column)
    {
        var cells = new long[weeks, columns.Count];
        foreach (var e in events)
        {
            var j = columns.ToList().IndexOf(column(e) ?? "");
            if (j >= 0) cells[weekOf(e), j]++;
        }
        return cells;
    }

    private static long[,] FeedbackTable(List<FeedbackCount> counts, List<DateTimeOffset> starts, string question, IReadOnlyList<string> answers)
    {
        var cells = new long[starts.Count, answers.Count];
        foreach (var c in counts.Where(c => c.Question == question))
        {
            var i = starts.FindIndex(s => s.ToUnixTimeMilliseconds() == c.WeekStart);
            var j = answers.ToList().IndexOf(c.Answer);
            if (i >= 0 && j >= 0) cells[i, j] += c.Count;
        }
        return cells;
    }

    /// <summary>
    /// Median and 90th percentile of first-answer waits (answered in the week asked), and abandonment, for weeks whose counts are published.
    /// </summary>
    private static List<WeeklyWaits> Waits(List<AuditRecord> events, Func<AuditRecord, int> weekOf, MetricsTable sessions, List<string> weeks)
    {
        var requestWeek = FirstWeekOf(events, AuditKinds.SessionRequested, weekOf);
        var firstWaits = events.Where(e => e.Kind == AuditKinds.SessionClaimed).GroupBy(e => e.Code("session")!)
            .Where(g => requestWeek.TryGetValue(g.Key, out var week) && week == weekOf(g.First()))
            .Select(g => (Week: requestWeek[g.Key], Seconds: g.First().Count("wait-seconds") ?? 0)).ToList();
        return weeks.Select((week, i) =>
        {
            var row = sessions.Rows[i];
            var waits = firstWaits.Where(w => w.Week == i).Select(w => w.Seconds).Order().ToList();
            var publishable = row.Cells[0] is > 0 && waits.Count > 0;
            double? abandonment = row.Cells[1] is { } a && row.Total is { } total && total > 0 ? Math.Round((double)a / total, 3) : null;
            return new WeeklyWaits(week, publishable ? Percentile(waits, 0.5) : null, publishable ? Percentile(waits, 0.9) : null, abandonment);
        }).ToList();
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static long Percentile(List<long> sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static MetricsTable Publish(string id, string[] columns, long[,] cells, int threshold, List<string> weeks) =>
        new(id, columns, weeks.Select((week, i) =>
        {
            var (published, total) = SmallCounts.Publish(Enumerable.Range(0, columns.Length).Select(j => cells[i, j]).ToList(), threshold);
            return new MetricsRow(week, published, total);
        }).ToList());
}

public static class Weeks
{
    /// <summary>Monday 00:00 UTC of the week holding <paramref name="t"/>.</summary>
    public static DateTimeOffset StartOf(DateTimeOffset t)
    {
        var day = new DateTimeOffset(t.UtcDateTime.Date, TimeSpan.Zero);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }
}
