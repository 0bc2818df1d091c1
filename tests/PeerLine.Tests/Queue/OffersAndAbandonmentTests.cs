using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Queue;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Queue;

public sealed class OffersAndAbandonmentTests() : AppScenario(new PeerLineApp(new()
{
    ["Queue:Mode"] = "Push",
    ["Queue:OfferTimeoutSeconds"] = "30",
    ["Queue:AwayGraceMinutes"] = "1",
}, new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T09:00:00Z"))))
{
    private FakeTimeProvider Time => App.Time!;

    [Fact]
    public async Task PushOffer_GoesToMostFreeCapacity_AndMovesOnAfterTimeout()
    {
        await using var roomy = await App.SupporterOnShiftAsync("roomy", capacity: 3);
        await using var busy = await App.SupporterOnShiftAsync("busy", capacity: 1);
        var toRoomy = Offers(roomy);
        var toBusy = Offers(busy);
        var withdrawn = new ConcurrentQueue<string>();
        roomy.OfferWithdrawn += withdrawn.Enqueue;

        await using var caller = await App.RequestSupportAsync();

        await Waits.UntilAsync(() => toRoomy.Any(o => o.SessionId == caller.SessionId), because: "offer to the supporter with most free capacity");
        Assert.Empty(toBusy);
        Assert.Equal(30, toRoomy.Single().ExpiresInSeconds);

        Time.Advance(TimeSpan.FromSeconds(31));
        await App.SweepQueueAsync();

        await Waits.UntilAsync(() => withdrawn.Contains(caller.SessionId!), because: "the lapsed offer is withdrawn");
        await Waits.UntilAsync(() => toBusy.Any(o => o.SessionId == caller.SessionId), because: "the offer moves on to the next supporter");
        var view = await busy.ClaimAsync(caller.SessionId!).Within();
        Assert.Equal(SessionStates.Active, view.State);
    }

    [Fact]
    public async Task PushOffer_EqualCapacity_LongestIdleFirst()
    {
        await using var early = await App.SupporterOnShiftAsync("early");
        Time.Advance(TimeSpan.FromMinutes(5));
        await using var late = await App.SupporterOnShiftAsync("late");
        var toEarly = Offers(early);
        var toLate = Offers(late);

        await using var caller = await App.RequestSupportAsync();

        await Waits.UntilAsync(() => toEarly.Any(o => o.SessionId == caller.SessionId));
        Assert.Empty(toLate);
    }

    [Fact]
    public async Task OfferedSession_CannotBeClaimedByAnother_UntilDeclined()
    {
        await using var offered = await App.SupporterOnShiftAsync("first", capacity: 2);
        await using var caller = await App.RequestSupportAsync();
        var toFirst = Offers(offered);
        await Waits.UntilAsync(() => toFirst.Any(o => o.SessionId == caller.SessionId));
        await using var other = await App.SupporterOnShiftAsync("second", capacity: 1);

        var refused = await Assert.ThrowsAsync<RelayException>(() => other.ClaimAsync(caller.SessionId!).Within());
        Assert.Equal(ErrorCodes.AlreadyClaimed, refused.Code);

        await offered.DeclineOfferAsync(caller.SessionId!).Within();
        await other.ClaimAsync(caller.SessionId!).Within();
    }

    [Fact]
    public async Task WaitingCaller_GonePastGrace_Abandoned_ButOneWhoCameBackKeepsThePlace()
    {
        var gone = await App.RequestSupportAsync();
        var back = await App.RequestSupportAsync();
        var goneId = gone.SessionId!;
        var (backId, backSecret) = (back.SessionId!, back.CallerSecret!);
        await gone.DisposeAsync();
        await back.DisposeAsync();
        await Waits.UntilAsync(async () => await App.DbAsync(db => db.Sessions.CountAsync(s => s.CallerAwaySince != null)) == 2,
            because: "both disconnects recorded");

        Time.Advance(TimeSpan.FromSeconds(30));
        await using var resumed = new CallerRelayClient(App.RelayOptions());
        var view = await resumed.ResumeAsync(backId, backSecret).Within();
        Assert.Equal(SessionStates.Waiting, view.State);
        Time.Advance(TimeSpan.FromSeconds(31));
        await App.SweepQueueAsync();

        var states = await App.DbAsync(db => db.Sessions.ToDictionaryAsync(s => s.Id, s => s.State));
        Assert.Equal(SessionState.Abandoned, states[goneId]);
        Assert.Equal(SessionState.Waiting, states[backId]);
    }

    [Fact]
    public async Task WaitingCaller_Leaves_Withdrawn_AndLeavesTheQueue()
    {
        await using var caller = await App.RequestSupportAsync();
        await caller.EndAsync().Within();

        var session = await App.DbAsync(db => db.Sessions.SingleAsync());
        Assert.Equal(SessionState.Withdrawn, session.State);
        Assert.NotNull(session.ClosedAt);
    }

    private static ConcurrentQueue<SessionOffer> Offers(SupporterRelayClient supporter)
    {
        var offers = new ConcurrentQueue<SessionOffer>();
        supporter.SessionOffered += offers.Enqueue;
        return offers;
    }
}
