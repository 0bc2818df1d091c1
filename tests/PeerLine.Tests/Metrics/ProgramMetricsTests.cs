using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Metrics;
using PeerLine.Server.Queue;
using PeerLine.Tests.Audit;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Metrics;

/// <summary>Program metrics from the audit trail and the feedback counts, as leads and auditors read them.</summary>
public sealed class ProgramMetricsTests() : AppScenario(new PeerLineApp(QuietTimers.With(),
    new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T09:00:00Z")))) // a Monday
{
    private AuditTrail Trail => App.Services.GetRequiredService<AuditTrail>();

    [Fact]
    public async Task WeeklyCounts_LargePublished_SmallWithheldWithTheirComplements_WaitsAndAbandonment()
    {
        // This week: 12 answered (waits 10..120 s), 3 withdrawn before anyone took them; the answered closed: 11 supported, 1 referred.
        for (var i = 1; i <= 12; i++)
        {
            var id = $"session-{i}";
            await Trail.RecordAsync(new SessionRequested(id, Topic.Burnout, Priority.Routine, false));
            await Trail.RecordAsync(new SessionClaimed(id, "staff-1", i * 10));
        }
        await Trail.RecordAsync(Hour("2026-11-23T09:00:00Z", requests: 15, withdrawn: 3));
        for (var i = 1; i <= 11; i++) await Trail.RecordAsync(new SessionClosed($"session-{i}", "supporter", Disposition.Supported));
        await Trail.RecordAsync(new SessionClosed("session-12", "caller", Disposition.None));
        await Trail.RecordAsync(new DispositionRecorded("session-12", Disposition.ReferredTier3));
        App.Time!.Advance(TimeSpan.FromDays(7)); // only whole weeks are shown
        using var lead = await LeadAsync();

        var report = (await lead.GetFromJsonAsync<ProgramMetricsReport>("/api/metrics?weeks=2"))!;

        Assert.Equal(["2026-11-16", "2026-11-23"], report.Weeks);
        var sessions = Table(report, "sessions");
        Assert.Equal([MetricColumns.Answered, MetricColumns.Abandoned, MetricColumns.Open], sessions.Columns);
        var week = sessions.Rows[1];
        Assert.Null(week.Cells[1]); // 3 abandoned
        Assert.Null(week.Cells[0]); // 12 answered: withheld with it, or 15 - 0 - 12 would give the 3 away
        Assert.Equal(0, week.Cells[2]);
        Assert.Equal(15, week.Total);
        Assert.Equal([0L, 0L, 0L], sessions.Rows[0].Cells.Select(c => c!.Value));

        var dispositions = Table(report, "dispositions");
        var closed = dispositions.Rows[1];
        Assert.Null(closed.Cells[dispositions.Columns.ToList().IndexOf(Dispositions.ReferredTier3)]); // the 1 recorded after the caller ended
        Assert.Null(closed.Cells[dispositions.Columns.ToList().IndexOf(Dispositions.Supported)]); // 11: or 12 - 11 would give the referral away
        Assert.Equal(0, closed.Cells[dispositions.Columns.ToList().IndexOf(MetricColumns.NoDisposition)]);
        Assert.Equal(12, closed.Total);

        Assert.Null(report.Waits[1].MedianSeconds); // answered is withheld, so are its waits
    }

    [Fact]
    public async Task WaitsAndAbandonment_PublishedWhenTheirCountsAre()
    {
        for (var i = 1; i <= 20; i++)
        {
            var id = $"s{i}";
            await Trail.RecordAsync(new SessionRequested(id, Topic.Other, Priority.Soon, false));
            await Trail.RecordAsync(new SessionClaimed(id, "staff", i * 10));
        }
        await Trail.RecordAsync(Hour("2026-11-23T10:00:00Z", requests: 25, abandoned: 6));
        await Trail.RecordAsync(Hour("2026-11-24T10:00:00Z", requests: 6, withdrawn: 5));
        await Trail.RecordAsync(new SessionTransferred("s1", "staff", null));
        await Trail.RecordAsync(new SessionClaimed("s1", "staff-2", 999)); // a second claim: not a wait for an answer
        App.Time!.Advance(TimeSpan.FromDays(7));
        using var lead = await LeadAsync();

        var report = (await lead.GetFromJsonAsync<ProgramMetricsReport>("/api/metrics?weeks=1"))!;

        Assert.Equal([20L, 11L, 0L], Table(report, "sessions").Rows[0].Cells.Select(c => c!.Value));
        Assert.Equal(100, report.Waits[0].MedianSeconds);
        Assert.Equal(180, report.Waits[0].P90Seconds);
        Assert.Equal(0.355, report.Waits[0].AbandonmentRate);
    }

    [Fact]
    public async Task RealSessions_AndFeedback_AreCounted()
    {
        for (var i = 0; i < 11; i++)
        {
            await App.SupportedSessionAsync("sam", Dispositions.HandedTo988);
        }
        App.Time!.Advance(TimeSpan.FromDays(7));
        using var lead = await LeadAsync();

        var report = (await lead.GetFromJsonAsync<ProgramMetricsReport>("/api/metrics?weeks=1"))!;

        var dispositions = Table(report, "dispositions");
        Assert.Equal(11, dispositions.Rows[0].Cells[dispositions.Columns.ToList().IndexOf(Dispositions.HandedTo988)]);
        var resources = Table(report, "resources");
        Assert.Equal(11, resources.Rows[0].Cells[resources.Columns.ToList().IndexOf(ResourceKinds.PhysicianSupportLine)]);
        Assert.Equal(11, Table(report, "sessions").Rows[0].Cells[0]);
        Assert.NotNull(report.Waits[0].MedianSeconds);
    }

    [Fact]
    public async Task TheWeekUnderWay_NotShown_AndAWeeksRow_ReadsTheSameInEveryWindow()
    {
        for (var i = 1; i <= 11; i++)
        {
            await Trail.RecordAsync(new SessionRequested($"r{i}", Topic.Burnout, Priority.Routine, false));
            await Trail.RecordAsync(new SessionClaimed($"r{i}", "staff", 60));
        }
        await Trail.RecordAsync(Hour("2026-11-23T08:00:00Z", requests: 14, abandoned: 3));
        using (var early = await LeadAsync())
        {
            var underWay = (await early.GetFromJsonAsync<ProgramMetricsReport>("/api/metrics?weeks=1"))!;
            Assert.Equal(["2026-11-16"], underWay.Weeks);
            Assert.Equal(0, Table(underWay, "sessions").Rows[0].Total);
        }
        App.Time!.Advance(TimeSpan.FromDays(7));
        using var lead = await App.SignedInHttpAsync("lea");

        var two = (await lead.GetFromJsonAsync<ProgramMetricsReport>("/api/metrics?weeks=2"))!;
        var three = (await lead.GetFromJsonAsync<ProgramMetricsReport>("/api/metrics?weeks=3"))!;

        foreach (var id in two.Tables.Select(t => t.Id))
            Assert.Equivalent(Table(two, id).Rows, Table(three, id).Rows.Skip(1), strict: true);
        var week = Table(two, "sessions").Rows[^1];
        Assert.Equal("2026-11-23", week.Week);
        Assert.Equal([null, null, 0L], week.Cells); // 3 abandoned withheld, and the 11 answered with them
        Assert.Equal(14, week.Total);
    }

    [Fact]
    public async Task AWeeksRow_IsFinalWhenTheWeekEnds_AnAnswerTheNextWeekDoesNotChangeIt()
    {
        App.Time!.Advance(new TimeSpan(6, 15, 1, 0)); // Monday 00:01, the next week: the last hour of Sunday is closed
        await Trail.RecordAsync(Hour("2026-11-29T23:00:00Z", requests: 11, waiting: 11));
        App.Time.Advance(TimeSpan.FromHours(1));
        using var lead = await LeadAsync();
        var firstLook = Table((await lead.GetFromJsonAsync<ProgramMetricsReport>("/api/metrics?weeks=1"))!, "sessions").Rows[0];
        for (var i = 1; i <= 11; i++)
        {
            await Trail.RecordAsync(new SessionRequested($"late{i}", Topic.Other, Priority.Routine, false)); // at their first claim
            await Trail.RecordAsync(new SessionClaimed($"late{i}", "staff", 7200));
        }
        var secondLook = Table((await lead.GetFromJsonAsync<ProgramMetricsReport>("/api/metrics?weeks=1"))!, "sessions").Rows[0];

        Assert.Equal("2026-11-23", firstLook.Week);
        Assert.Equal([0L, 0L, 11L], firstLook.Cells);
        Assert.Equivalent(firstLook, secondLook, strict: true);
    }

    [Fact]
    public async Task OnlyLeadsAndAuditors_ReadMetrics()
    {
        await App.CreateStaffAsync("sue");
        using var supporter = await App.SignedInHttpAsync("sue");
        using var auditor = await App.AuditorAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await supporter.GetAsync("/api/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.Http().GetAsync("/api/metrics")).StatusCode);
    }

    [Fact]
    public async Task RealRequestsWithdrawnUnanswered_CountedAsAbandonedInTheWeek_FromTheHourlyCounts()
    {
        for (var i = 0; i < 12; i++)
        {
            await using var caller = await App.RequestSupportAsync(Topics.Burnout, Priorities.Routine);
            await caller.EndAsync().Within();
        }
        App.Time!.Advance(TimeSpan.FromHours(1));
        await App.Services.GetRequiredService<AuditCheckpointer>().PassAsync(CancellationToken.None);
        // The checkpointer's own timer may have taken the hour first and be writing it still.
        await Waits.UntilAsync(() => App.DbAsync(db => db.AuditEvents.AnyAsync(r => r.Kind == AuditKinds.RequestsHourly)), because: "the hour is closed");
        App.Time.Advance(TimeSpan.FromDays(7));
        using var lead = await LeadAsync();

        var report = (await lead.GetFromJsonAsync<ProgramMetricsReport>("/api/metrics?weeks=1"))!;

        Assert.Equal([0L, 12L, 0L], Table(report, "sessions").Rows[0].Cells.Select(c => c!.Value));
        Assert.Equal(1.0, report.Waits[0].AbandonmentRate);
    }

    /// <summary>A closed hour's counts as the checkpointer writes them: <paramref name="requests"/> made (routine), and what left unanswered.</summary>
    private static RequestsHourly Hour(string hour, long requests, long withdrawn = 0, long abandoned = 0, long waiting = 0) =>
        new(DateTimeOffset.Parse(hour), requests, 0, 0, withdrawn, abandoned, 0, waiting);

    private async Task<HttpClient> LeadAsync()
    {
        await App.CreateStaffAsync("lea", StaffRoles.Lead);
        return await App.SignedInHttpAsync("lea");
    }

    private static MetricsTable Table(ProgramMetricsReport report, string id) => report.Tables.Single(t => t.Id == id);
}
