using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Puzzle;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Puzzle;

/// <summary>
/// The price rises when requests arrive faster than they leave the queue, and falls back as they leave or the window
/// passes. One bit per surplus request here (SurplusPerBit 1) so that a handful of requests shows it.
/// </summary>
public sealed class PuzzlePriceFollowsPressureTests() : AppScenario(new PeerLineApp(new()
{
    ["Puzzle:BaseBits"] = "2",
    ["Puzzle:MaxBits"] = "5",
    ["Puzzle:SurplusPerBit"] = "1",
    ["Puzzle:CalmQueueLength"] = "2",
    ["Puzzle:PressureWindowSeconds"] = "60",
}, new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T10:00:00Z"))))
{
    private FakeTimeProvider Time => App.Time!;

    [Fact]
    public async Task Price_RequestsFasterThanTheyLeave_RisesThenFallsBack()
    {
        Assert.Equal(2, await PriceAsync());
        var callers = new List<CallerRelayClient>();
        for (var i = 0; i < 3; i++) callers.Add(await App.RequestSupportAsync());

        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, await PriceAsync()); // surplus 3: 2 + floor(log2(4))

        await callers[0].EndAsync().Within();
        await callers[1].EndAsync().Within();
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, await PriceAsync()); // two withdrawn: surplus 1

        Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(2, await PriceAsync()); // the window has passed and one waits (at most CalmQueueLength)

        foreach (var caller in callers) await caller.DisposeAsync();
    }

    [Fact]
    public async Task Price_QueueLongerThanCalm_StaysRaisedAfterTheWindow()
    {
        var callers = new List<CallerRelayClient>();
        for (var i = 0; i < 5; i++) callers.Add(await App.RequestSupportAsync());

        Time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(4, await PriceAsync()); // nothing new in the window, but 3 waiting beyond CalmQueueLength: 2 + floor(log2(4))
        foreach (var caller in callers) await caller.DisposeAsync();
    }

    [Fact]
    public async Task Price_ReadAtMostOnceASecond_HoldsUntilTheSecondEnds()
    {
        Assert.Equal(2, await PriceAsync());
        await using var caller = await App.RequestSupportAsync();
        await using var another = await App.RequestSupportAsync();

        Assert.Equal(2, await PriceAsync());
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, await PriceAsync());
    }

    [Fact]
    public async Task RequestSupport_ChallengeFromBeforeThePriceRose_Refused()
    {
        await using var early = App.RawConnection(HubRoutes.Caller);
        await early.StartAsync().Within();
        var cheap = await early.SolvedPuzzleAsync();
        var callers = new List<CallerRelayClient>();
        for (var i = 0; i < 3; i++) callers.Add(await App.RequestSupportAsync());
        Time.Advance(TimeSpan.FromSeconds(1));

        var refused = await Assert.ThrowsAsync<HubException>(() =>
            early.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Other, Priorities.Routine, cheap).Within());
        Assert.EndsWith(ErrorCodes.PuzzleFailed, refused.Message, StringComparison.Ordinal);

        // The .NET client pays the new price and gets in.
        await using var late = await App.RequestSupportAsync();
        Assert.Equal(SessionStates.Waiting, late.Ticket!.Queue.State);
        foreach (var caller in callers) await caller.DisposeAsync();
    }

    [Theory]
    [InlineData(0, 8)]
    [InlineData(9, 8)]
    [InlineData(10, 9)]
    [InlineData(29, 9)]
    [InlineData(30, 10)]
    [InlineData(70, 11)]
    [InlineData(5000, 16)]
    [InlineData(1_000_000_000, 16)]
    public void Price_DefaultOptions_OneBitPerDoublingOfTheSurplusUpToMaxBits(long surplus, int bits) =>
        Assert.Equal(bits, PuzzlePressure.Price(new PuzzleOptions(), surplus));

    private async Task<int> PriceAsync()
    {
        await using var probe = App.RawConnection(HubRoutes.Caller);
        await probe.StartAsync().Within();
        return (await probe.InvokeAsync<PuzzleChallenge>(nameof(ICallerHub.Challenge)).Within()).Bits;
    }
}
