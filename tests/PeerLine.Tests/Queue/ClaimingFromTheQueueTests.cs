using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Queue;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Queue;

public sealed class ClaimingFromTheQueueTests() : AppScenario(new PeerLineApp(new() { ["Queue:MaxCapacity"] = "16" }))
{
    [Fact]
    public async Task FiftyConcurrentClaimers_ThousandWaiting_EveryRequestClaimedExactlyOnce()
    {
        const int requests = 1000, claimers = 50;
        var ids = await SeedWaitingAsync(requests);

        var supporters = await Task.WhenAll(Enumerable.Range(0, claimers).Select(async i =>
        {
            var s = await App.SupporterOnShiftAsync($"claimer{i:00}", capacity: 2);
            return s;
        }));
        var claims = new ConcurrentBag<(int Claimer, string SessionId)>();

        await Task.WhenAll(supporters.Select((supporter, i) => Task.Run(async () =>
        {
            while (true)
            {
                SessionView view;
                try { view = await supporter.ClaimNextAsync(); }
                catch (RelayException e) when (e.Code == ErrorCodes.QueueEmpty) { return; }
                claims.Add((i, view.SessionId));
                await supporter.CloseAsync(view.SessionId, Dispositions.Supported);
            }
        }))).Within(TimeSpan.FromMinutes(4));

        var claimed = claims.Select(c => c.SessionId).ToList();
        Assert.Equal(requests, claimed.Count);                        // nothing lost
        Assert.Equal(requests, claimed.Distinct().Count());           // no double claim
        Assert.True(ids.SetEquals(claimed));
        Assert.True(claims.Select(c => c.Claimer).Distinct().Count() > 1, "the claims were actually concurrent");
        var states = await App.DbAsync(db => db.Sessions.GroupBy(s => s.State).Select(g => new { g.Key, N = g.Count() }).ToListAsync());
        Assert.Equal(requests, states.Single(s => s.Key == SessionState.Closed).N);
        Assert.Equal(0, await App.DbAsync(db => db.Shifts.SumAsync(s => s.ActiveSessions)));
        foreach (var s in supporters) await s.DisposeAsync();
        App.Logs.AssertNoErrors();
    }

    [Fact]
    public async Task ClaimNext_MixedPriorities_CrisisThenSoonThenRoutine_FirstComeWithinEach()
    {
        var order = new List<(string Id, string Priority)>();
        foreach (var p in new[] { Priorities.Routine, Priorities.Soon, Priorities.Crisis, Priorities.Routine, Priorities.Crisis, Priorities.Soon })
        {
            var caller = await App.RequestSupportAsync(priority: p);
            order.Add((caller.SessionId!, p));
        }
        await using var supporter = await App.SupporterOnShiftAsync("pat", capacity: 6);

        var claimed = new List<string>();
        for (var i = 0; i < order.Count; i++) claimed.Add((await supporter.ClaimNextAsync().Within()).SessionId);

        var expected = order.Where(o => o.Priority == Priorities.Crisis)
            .Concat(order.Where(o => o.Priority == Priorities.Soon))
            .Concat(order.Where(o => o.Priority == Priorities.Routine))
            .Select(o => o.Id);
        Assert.Equal(expected, claimed);
    }

    [Fact]
    public async Task ClaimNext_AtCapacity_RefusedWithNoCapacity_UntilASessionCloses()
    {
        for (var i = 0; i < 3; i++) await App.RequestSupportAsync();
        await using var supporter = await App.SupporterOnShiftAsync("quinn"); // default capacity 2

        var first = await supporter.ClaimNextAsync().Within();
        await supporter.ClaimNextAsync().Within();
        var refused = await Assert.ThrowsAsync<RelayException>(() => supporter.ClaimNextAsync().Within());
        Assert.Equal(ErrorCodes.NoCapacity, refused.Code);

        await supporter.CloseAsync(first.SessionId, Dispositions.Supported).Within();
        await supporter.ClaimNextAsync().Within();
        Assert.Equal(0, await App.DbAsync(db => db.Sessions.CountAsync(s => s.State == SessionState.Waiting)));
    }

    [Fact]
    public async Task ClaimNext_OffShift_RefusedWithNotOnShift()
    {
        await App.RequestSupportAsync();
        await using var supporter = await App.SupporterOnShiftAsync("rue");
        await supporter.EndShiftAsync().Within();

        var refused = await Assert.ThrowsAsync<RelayException>(() => supporter.ClaimNextAsync().Within());
        Assert.Equal(ErrorCodes.NotOnShift, refused.Code);
    }

    [Fact]
    public async Task Claim_ChosenSession_TakenByOneSupporterOnly()
    {
        await App.RequestSupportAsync();
        var chosen = await App.RequestSupportAsync();
        await using var a = await App.SupporterOnShiftAsync("ash");
        await using var b = await App.SupporterOnShiftAsync("bo");

        var view = await a.ClaimAsync(chosen.SessionId!).Within();
        Assert.Equal(chosen.SessionId, view.SessionId);
        var refused = await Assert.ThrowsAsync<RelayException>(() => b.ClaimAsync(chosen.SessionId!).Within());
        Assert.Equal(ErrorCodes.AlreadyClaimed, refused.Code);
    }

    [Fact]
    public async Task WaitingCallers_SeeTheirPosition_AndItMovesUpAsOthersAreClaimed()
    {
        var callers = new List<CallerRelayClient>();
        var positions = new List<ConcurrentQueue<QueueStatus>>();
        for (var i = 0; i < 3; i++)
        {
            var caller = await App.RequestSupportAsync();
            var seen = new ConcurrentQueue<QueueStatus>();
            caller.QueueMoved += seen.Enqueue;
            callers.Add(caller);
            positions.Add(seen);
        }
        await using var supporter = await App.SupporterOnShiftAsync("cy", capacity: 3);

        await supporter.ClaimNextAsync().Within();

        await Waits.UntilAsync(() => positions[2].LastOrDefault()?.Position == 2, because: "third caller moves to place 2");
        await Waits.UntilAsync(() => positions[1].LastOrDefault()?.Position == 1, because: "second caller moves to place 1");
        foreach (var c in callers) await c.DisposeAsync();
    }

    [Fact]
    public async Task ExpectedWait_FromRecentWaits_ScalesWithPosition()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T10:00:00Z"));
        await using var app = new PeerLineApp(time: time);
        await using var supporter = await app.SupporterOnShiftAsync("dee", capacity: 6);
        // Three callers each waited 120 s at position 1: two minutes per place.
        for (var i = 0; i < 3; i++)
        {
            await using var c = await app.RequestSupportAsync();
            time.Advance(TimeSpan.FromSeconds(120));
            var v = await supporter.ClaimNextAsync().Within();
            await supporter.CloseAsync(v.SessionId, Dispositions.Supported).Within();
        }

        await using var first = await app.RequestSupportAsync();
        await using var second = await app.RequestSupportAsync();
        await using var reloaded = new CallerRelayClient(app.RelayOptions());
        var ticket = await reloaded.ResumeAsync(second.SessionId!, second.CallerSecret!).Within();

        Assert.Equal(2, ticket.Queue.Position);
        Assert.Equal(240, ticket.Queue.ExpectedWaitSeconds);
    }

    private async Task<HashSet<string>> SeedWaitingAsync(int count)
    {
        // Requests arrive through the hub in the real way, a few connections at a time.
        var ids = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            await using var caller = await App.RequestSupportAsync();
            ids.Add(caller.SessionId!);
        });
        return ids.ToHashSet();
    }
}
