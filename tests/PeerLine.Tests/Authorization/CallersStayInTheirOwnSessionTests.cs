using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Relay;
using PeerLine.Tests.Infrastructure;
using static PeerLine.Tests.Relay.HavingAConversationTests;

namespace PeerLine.Tests.Authorization;

public sealed class CallersStayInTheirOwnSessionTests() : AppScenario
{
    [Fact]
    public async Task OtherCaller_WithoutTheSecret_CannotResumeSendAcknowledgeEndOrRead()
    {
        await using var supporter = await App.SupporterOnShiftAsync("wren");
        await using var victim = await App.RequestSupportAsync();
        var atVictim = Collect(victim);
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        supporter.MessageReceived = _ => Task.Delay(Timeout.Infinite); // keeps the victim's messages stored

        await using var intruder = App.RawConnection(HubRoutes.Caller);
        var seenByIntruder = new ConcurrentQueue<RelayEnvelope>();
        intruder.On<RelayEnvelope>(nameof(ICallerClient.MessageReceived), seenByIntruder.Enqueue);
        await intruder.StartAsync().Within();
        await intruder.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Other, Priorities.Routine,
            await intruder.SolvedPuzzleAsync()).Within();

        await AssertRefused(ErrorCodes.NotFound, () => intruder.InvokeAsync<SessionView>(nameof(ICallerHub.Resume), session, "not-the-secret"));
        await AssertRefused(ErrorCodes.NotFound, () => intruder.InvokeAsync<SessionView>(nameof(ICallerHub.Resume), session,
            victim.CallerSecret![..^2] + "xx"));
        await AssertRefused(ErrorCodes.NotFound, () => intruder.InvokeAsync(nameof(ICallerHub.SendCiphertext), session, Guid.NewGuid(), 1L,
            Bytes("injected")));
        await AssertRefused(ErrorCodes.NotFound, () => intruder.InvokeAsync(nameof(ICallerHub.Acknowledge), session, 1L));
        await AssertRefused(ErrorCodes.NotFound, () => intruder.InvokeAsync(nameof(ICallerHub.EndSession), session));

        await victim.SendAsync(Bytes("from the victim")).Within();
        await supporter.SendAsync(session, Bytes("to the victim")).Within();
        await Waits.UntilAsync(() => atVictim.Count == 1);

        Assert.Empty(seenByIntruder);
        var stored = await App.DbAsync(db =>
            Task.FromResult(db.Messages.Count(m => m.SessionId == session && m.Direction == Direction.CallerToSupporter)));
        Assert.Equal(1, stored);
    }

    [Fact]
    public async Task Caller_CannotRequestTwiceOnOneConnection()
    {
        await using var caller = App.RawConnection(HubRoutes.Caller);
        await caller.StartAsync().Within();
        await caller.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Other, Priorities.Routine,
            await caller.SolvedPuzzleAsync()).Within();

        var proof = await caller.SolvedPuzzleAsync();
        await AssertRefused(ErrorCodes.WrongState, () => caller.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Other,
            Priorities.Routine, proof));
    }

    private static async Task AssertRefused(string code, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HubException>(() => call().Within());
        Assert.EndsWith(code, e.Message);
    }
}
