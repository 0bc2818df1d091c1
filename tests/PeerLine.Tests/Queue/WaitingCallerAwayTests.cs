using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Queue;
using PeerLine.Tests.Infrastructure;
using static PeerLine.Tests.Relay.HavingAConversationTests;

namespace PeerLine.Tests.Queue;

/// <summary>
/// A waiting caller who leaves the page (a phone call puts the browser in the background) keeps their place for
/// Queue:AwayGraceMinutes (default 20), is told so in every QueueStatus while waiting, and is abandoned only after it.
/// </summary>
public sealed class WaitingCallerAwayTests() : AppScenario(new PeerLineApp(QuietTimers.With(new()
{
    ["StaffAuth:TokenMinutes"] = "240",
}), new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T09:00:00Z"))))
{
    private const int DefaultGraceMinutes = 20;
    private FakeTimeProvider Time => App.Time!;

    [Fact]
    public async Task WaitingCaller_AwayLongerThan180SecondsButWithinGrace_KeepsThePlace_AndIsServed()
    {
        await using var ahead = await App.RequestSupportAsync();
        var away = await App.RequestSupportAsync();
        await using var behind = await App.RequestSupportAsync();
        var (id, secret) = (away.SessionId!, away.CallerSecret!);
        Assert.Equal(DefaultGraceMinutes, away.Ticket!.Queue.AwayGraceMinutes);
        await away.DisposeAsync();
        await Waits.UntilAsync(async () => await AwaySinceAsync(id) is not null, because: "the disconnect is recorded");

        Time.Advance(TimeSpan.FromMinutes(DefaultGraceMinutes - 1));
        await App.SweepQueueAsync();
        await using (var back = new CallerRelayClient(App.RelayOptions()))
        {
            var view = await back.ResumeAsync(id, secret).Within();
            Assert.Equal(SessionStates.Waiting, view.State);
            Assert.Equal(2, view.Queue.Position);
            Assert.Equal(DefaultGraceMinutes, view.Queue.AwayGraceMinutes);
            Assert.Equal(0, view.Holder);
        }
        // Away again, as long again: the grace counts from the latest disconnect.
        await Waits.UntilAsync(async () => await AwaySinceAsync(id) is not null, because: "the second disconnect is recorded");
        Time.Advance(TimeSpan.FromMinutes(DefaultGraceMinutes - 1));
        await App.SweepQueueAsync();
        Assert.Equal(SessionState.Waiting, await StateAsync(id));

        await using var supporter = await App.SupporterOnShiftAsync("gil", capacity: 2);
        Assert.Equal(ahead.SessionId, (await supporter.ClaimNextAsync().Within()).SessionId);
        var claimed = await supporter.ClaimNextAsync().Within();
        Assert.Equal(id, claimed.SessionId);
        Assert.False(claimed.CallerPresent, "the supporter sees that the caller of the chat just taken is away");
        Assert.Equal(1, claimed.Holder);
        await supporter.SendAsync(id, Bytes("hello, take your time")).Within();

        await using var returned = new CallerRelayClient(App.RelayOptions());
        var atCaller = Collect(returned);
        var served = await returned.ResumeAsync(id, secret).Within();
        Assert.Equal(SessionStates.Active, served.State);
        Assert.Null(served.Queue.AwayGraceMinutes);
        Assert.True(served.CallerPresent);
        Assert.Equal(1, served.Holder);
        await Waits.UntilAsync(() => atCaller.Count == 1, because: "the supporter's message waits for the caller");
        Assert.Equal("hello, take your time", Text(atCaller.Single()));
        Assert.Equal(SessionState.Waiting, await StateAsync(behind.SessionId!));
    }

    [Fact]
    public async Task WaitingCaller_AwayLongerThanTheGrace_Abandoned()
    {
        var gone = await App.RequestSupportAsync();
        var id = gone.SessionId!;
        await gone.DisposeAsync();
        await Waits.UntilAsync(async () => await AwaySinceAsync(id) is not null, because: "the disconnect is recorded");

        Time.Advance(TimeSpan.FromMinutes(DefaultGraceMinutes) - TimeSpan.FromSeconds(1));
        await App.SweepQueueAsync();
        Assert.Equal(SessionState.Waiting, await StateAsync(id));
        Time.Advance(TimeSpan.FromSeconds(2));
        await App.SweepQueueAsync();
        Assert.Equal(SessionState.Abandoned, await StateAsync(id));
    }

    [Fact]
    public async Task QueueStatus_WhileWaiting_SaysHowLongThePlaceIsKept_NotOnceActive()
    {
        await using var first = await App.RequestSupportAsync();
        var moves = new ConcurrentQueue<QueueStatus>();
        await using var second = new CallerRelayClient(App.RelayOptions());
        second.QueueMoved += moves.Enqueue;
        var ticket = await second.RequestSupportAsync(Topics.Burnout, Priorities.Routine).Within();
        Assert.Equal((2, DefaultGraceMinutes), (ticket.Queue.Position, ticket.Queue.AwayGraceMinutes));

        await using var supporter = await App.SupporterOnShiftAsync("hal", capacity: 2);
        var changes = new ConcurrentQueue<SessionChange>();
        second.SessionChanged += changes.Enqueue;
        await supporter.ClaimNextAsync().Within();
        await Waits.UntilAsync(() => moves.Any(m => m.Position == 1), because: "the second caller moves up");
        Assert.All(moves, m => Assert.Equal(DefaultGraceMinutes, m.AwayGraceMinutes));

        var view = await supporter.ClaimNextAsync().Within();
        Assert.Equal(second.SessionId, view.SessionId);
        Assert.Null(view.Queue.AwayGraceMinutes);
        Assert.Equal(SessionStates.Active, view.Queue.State);
        await Waits.UntilAsync(() => changes.Any(c => c.Reason == ChangeReasons.Claimed));
    }

    private Task<long?> AwaySinceAsync(string id) =>
        App.DbAsync(db => db.Sessions.Where(s => s.Id == id).Select(s => s.CallerAwaySince).SingleAsync());

    private Task<SessionState> StateAsync(string id) =>
        App.DbAsync(db => db.Sessions.Where(s => s.Id == id).Select(s => s.State).SingleAsync());
}
