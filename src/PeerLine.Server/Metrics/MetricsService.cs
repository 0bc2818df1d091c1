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
        var kinds = new[] { AuditKinds.SessionRequested, AuditKinds.SessionClaimed, AuditKinds.SessionClosed,
            AuditKinds.DispositionRecorded, AuditKinds.ResourceOffered };
        var rows = await db.AuditEvents.AsNoTracking()
            .Where(r => r.At >= from && r.At < until && kinds.Contains(r.Kind)).OrderBy(r => r.Seq).ToListAsync(ct);
        var events = rows.Select(AuditTrail.ToRecord).ToList();
        // An hour is written once it is over (normally within a minute), so its event may fall after the window: read by its hour.
        var hourly = (await db.AuditEvents.AsNoTracking().Where(r => r.At >= from && r.Kind == AuditKinds.RequestsHourly)
                .OrderBy(r => r.Seq).ToListAsync(ct))
            .Select(AuditTrail.ToRecord)
            .Select(r => (Hour: RequestsHourly.ParseHour(r.Code("hour")), Record: r))
            .Where(h => h.Hour is { } hour && hour.ToUnixTimeMilliseconds() >= from && hour.ToUnixTimeMilliseconds() < until)
            .Select(h => (Hour: h.Hour!.Value, h.Record)).ToList();
        var feedback = await db.FeedbackCounts.AsNoTracking().Where(f => f.WeekStart >= from && f.WeekStart < until).ToListAsync(ct);

        int WeekOf(AuditRecord r) => starts.FindLastIndex(s => s <= r.At);
        var underWay = Weeks.StartOf(time.GetUtcNow());
        var sessions = SessionsTable(events, hourly, WeekOf, starts, underWay);
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
    /// Per week: answered = requests first claimed in the week (a <c>session-requested</c> event is written at the first
    /// claim); abandoned = requests that ended unanswered in the week (withdrawn or away, from the hourly counts); open =
    /// requests waiting at the week's end (the count closing its last hour; for the week under way, its latest closed hour).
    /// Only events of the week count, so a week's row never changes once the week is over.
    /// </summary>
    private static long[,] SessionsTable(List<AuditRecord> events, List<(DateTimeOffset Hour, AuditRecord Record)> hourly,
        Func<AuditRecord, int> weekOf, List<DateTimeOffset> starts, DateTimeOffset underWay)
    {
        var cells = new long[starts.Count, 3];
        foreach (var request in events.Where(e => e.Kind == AuditKinds.SessionRequested)) cells[weekOf(request), 0]++;
        for (var week = 0; week < starts.Count; week++)
        {
            var end = starts[week].AddDays(7);
            var hours = hourly.Where(h => h.Hour >= starts[week] && h.Hour < end).ToList();
            cells[week, 1] = hours.Sum(h => (h.Record.Count("withdrawn") ?? 0) + (h.Record.Count("abandoned") ?? 0));
            // No count for the last hour: nothing was waiting then (an hour with requests waiting is always closed with a count).
            var last = hours.Count == 0 ? default : hours.MaxBy(h => h.Hour);
            var atEnd = hours.Count > 0 && (last.Hour == end.AddHours(-1) || starts[week] == underWay);
            cells[week, 2] = atEnd ? last.Record.Count("waiting") ?? 0 : 0;
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
    /// Median and 90th percentile of first-answer waits (of the requests answered in the week), and abandonment, for weeks whose counts are published.
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
            // Of the requests settled in the week (answered or ended unanswered), the share that ended unanswered.
            double? abandonment = row.Cells[1] is { } a && row.Cells[0] is { } answered && a + answered > 0
                ? Math.Round((double)a / (a + answered), 3) : null;
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
