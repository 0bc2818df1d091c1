using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Audit;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Audit;

/// <summary>
/// A request nobody claimed costs the trail nothing of its own: a flood of withdrawn and abandoned requests adds one
/// requests-hourly event per hour, however many there were, and their Sessions rows go after Retention:UnansweredRequestMinutes.
/// </summary>
public sealed class UnansweredRequestFloodTests() : AppScenario(new PeerLineApp(QuietTimers.With(new()
{
    ["Puzzle:MaxBits"] = "4",
    // One test source makes the whole flood: the per-source limits are not what this test is about.
    ["Abuse:ConnectionsPerSource"] = "1000",
    ["Abuse:WaitingPerSource"] = "1000",
    ["Abuse:RequestsPerSourcePerHour"] = "1000",
    ["Queue:AwayGraceMinutes"] = "20",
    ["Retention:UnansweredRequestMinutes"] = "60",
}), new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T15:00:00Z"))))
{
    private FakeTimeProvider Time => App.Time!;

    [Fact]
    public async Task FloodsOf20And100UnansweredRequests_EachAddsOneHourlyEvent_WithTheRightCounts()
    {
        var small = await FloodAndCloseTheHourAsync(20);
        var large = await FloodAndCloseTheHourAsync(100);

        Assert.Equal(small.Added, large.Added);
        Assert.Equal([AuditKinds.RequestsHourly], small.Added);
        Assert.Equal(("2026-11-25t15", 10L, 10L, 10L, 10L), Counts(small.Hourly));
        Assert.Equal(("2026-11-25t17", 50L, 50L, 50L, 50L), Counts(large.Hourly));
        Assert.Equal(0, small.Hourly.Count("crisis"));
        Assert.Equal(0, large.Hourly.Count("waiting"));
        Assert.Equal(0, await App.DbAsync(db => db.RequestCounts.CountAsync()));
    }

    [Fact]
    public async Task UnansweredRows_DeletedAfterTheirMinutes_AnsweredOnesKept()
    {
        await using var supporter = await App.SupporterOnShiftAsync("sam");
        await using var answered = await App.RequestSupportAsync(Topics.Burnout, Priorities.Routine);
        await supporter.ClaimNextAsync().Within();
        await using var withdrawn = await App.RequestSupportAsync(Topics.Burnout, Priorities.Soon);
        await withdrawn.EndAsync().Within();

        Time.Advance(TimeSpan.FromMinutes(59));
        await App.SweepQueueAsync();
        Assert.Equal(2, await App.DbAsync(db => db.Sessions.CountAsync()));
        Time.Advance(TimeSpan.FromMinutes(2));
        await App.SweepQueueAsync();

        Assert.Equal([answered.SessionId!], await App.DbAsync(db => db.Sessions.Select(s => s.Id).ToListAsync()));
    }

    /// <summary>
    /// n requests in one hour (routine and soon alike), half withdrawn by their callers and half left behind past the
    /// grace period; then the hour is closed. Returns the kinds of the audit events this added and the hourly one.
    /// </summary>
    private async Task<(List<string> Added, AuditRecord Hourly)> FloodAndCloseTheHourAsync(int n)
    {
        var before = await App.DbAsync(db => db.AuditEvents.MaxAsync(r => (long?)r.Seq)) ?? 0;
        var away = new List<CallerRelayClient>();
        for (var i = 0; i < n; i++)
        {
            var caller = await App.RequestSupportAsync(Topics.Other, i % 2 == 0 ? Priorities.Routine : Priorities.Soon);
            if (i % 2 == 0)
            {
                await caller.EndAsync().Within();
                await caller.DisposeAsync();
            }
            else away.Add(caller);
        }
        foreach (var caller in away) await caller.DisposeAsync();
        await Waits.UntilAsync(async () => await App.DbAsync(db => db.Sessions.CountAsync(s => s.CallerAwaySince != null)) == away.Count,
            because: "the server has seen the callers go");
        Time.Advance(TimeSpan.FromMinutes(21));
        await App.SweepQueueAsync(); // past the grace period: abandoned
        Time.Advance(TimeSpan.FromMinutes(40)); // the next hour
        await App.Services.GetRequiredService<AuditCheckpointer>().PassAsync(CancellationToken.None);
        // The checkpointer's own timer may have taken the hour first and be writing it still.
        await Waits.UntilAsync(async () => await App.DbAsync(db => db.AuditEvents.AnyAsync(r => r.Seq > before && r.Kind == AuditKinds.RequestsHourly)),
            because: "the hour is closed");
        Time.Advance(TimeSpan.FromMinutes(59)); // a fresh hour for the next flood

        var added = await App.DbAsync(db => db.AuditEvents.Where(r => r.Seq > before).OrderBy(r => r.Seq).ToListAsync());
        return (added.Select(r => r.Kind).ToList(), AuditTrail.ToRecord(added.Single(r => r.Kind == AuditKinds.RequestsHourly)));
    }

    private static (string?, long?, long?, long?, long?) Counts(AuditRecord hourly) =>
        (hourly.Code("hour"), hourly.Count("routine"), hourly.Count("soon"), hourly.Count("withdrawn"), hourly.Count("abandoned"));
}
