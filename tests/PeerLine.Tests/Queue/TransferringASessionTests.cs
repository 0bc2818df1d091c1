using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;
using static PeerLine.Tests.Relay.HavingAConversationTests;

namespace PeerLine.Tests.Queue;

public sealed class TransferringASessionTests() : AppScenario
{
    [Fact]
    public async Task TransferToNamedSupporter_NewSupporterGetsTheUnreadMessages_OldOneIsOut()
    {
        await using var first = await App.SupporterOnShiftAsync("ada");
        await using var second = await App.SupporterOnShiftAsync("ben");
        await using var caller = await App.RequestSupportAsync();
        var callerChanges = Changes(caller);
        var secondChanges = Changes(second);
        var session = (await first.ClaimNextAsync().Within()).SessionId;
        first.MessageReceived = _ => Task.Delay(Timeout.Infinite); // "ada" never reads them
        var atSecond = Collect(second);
        await caller.SendAsync(Bytes("one")).Within();
        await caller.SendAsync(Bytes("two")).Within();

        await first.TransferAsync(session, "ben").Within();

        await Waits.UntilAsync(() => secondChanges.Any(c => c.Reason == ChangeReasons.TransferredToYou));
        await Waits.UntilAsync(() => callerChanges.Any(c => c.Reason == ChangeReasons.Transferred));
        await Waits.UntilAsync(() => atSecond.Count == 2, because: "unread messages follow the session");
        Assert.Equal(["one", "two"], atSecond.Select(Text));
        var atCaller = Collect(caller);
        await second.SendAsync(session, Bytes("hello from ben")).Within();
        await Waits.UntilAsync(() => atCaller.Count == 1);
        await using var stillAda = await App.StaffConnectionAsync("ada");
        var refused = await Assert.ThrowsAsync<HubException>(() =>
            stillAda.InvokeAsync(nameof(IStaffHub.SendCiphertext), session, Guid.NewGuid(), 1L, Bytes("still here?")).Within());
        Assert.EndsWith(ErrorCodes.NotAllowed, refused.Message);
        var shifts = await App.DbAsync(db => db.Shifts.ToDictionaryAsync(s => s.SupporterId, s => s.ActiveSessions));
        Assert.Equal([0, 1], shifts.Values.Order());
    }

    [Fact]
    public async Task TransferToQueue_GoesAheadOfItsPriorityLevel_AndTheNextClaimTakesIt()
    {
        await using var first = await App.SupporterOnShiftAsync("cal");
        await using var caller = await App.RequestSupportAsync(priority: Priorities.Soon);
        var callerChanges = Changes(caller);
        var session = (await first.ClaimNextAsync().Within()).SessionId;
        await using var earlier = await App.RequestSupportAsync(priority: Priorities.Soon);
        await using var crisis = await App.RequestSupportAsync(priority: Priorities.Crisis);

        await first.TransferAsync(session, null).Within();

        await Waits.UntilAsync(() => callerChanges.Any(c => c.Reason == ChangeReasons.ReturnedToQueue && c.State == SessionStates.Waiting));
        await using var next = await App.SupporterOnShiftAsync("dot", capacity: 3);
        Assert.Equal(crisis.SessionId, (await next.ClaimNextAsync().Within()).SessionId);   // crisis still first
        Assert.Equal(session, (await next.ClaimNextAsync().Within()).SessionId);            // then the returned one
        Assert.Equal(earlier.SessionId, (await next.ClaimNextAsync().Within()).SessionId);
    }

    [Fact]
    public async Task TransferToSupporterOffShift_Refused_SessionStaysWithTheFirst()
    {
        await using var first = await App.SupporterOnShiftAsync("eve");
        await using var offShift = await App.SupporterOnShiftAsync("fay");
        await offShift.EndShiftAsync().Within();
        await using var caller = await App.RequestSupportAsync();
        var session = (await first.ClaimNextAsync().Within()).SessionId;

        var refused = await Assert.ThrowsAsync<RelayException>(() => first.TransferAsync(session, "fay").Within());

        Assert.Equal(ErrorCodes.NotOnShift, refused.Code);
        await first.SendAsync(session, Bytes("still mine")).Within();
    }

    private static ConcurrentQueue<SessionChange> Changes(RelayConnection connection)
    {
        var changes = new ConcurrentQueue<SessionChange>();
        connection.SessionChanged += changes.Enqueue;
        return changes;
    }
}
