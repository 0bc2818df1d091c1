using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;
using static PeerLine.Tests.Relay.HavingAConversationTests;

namespace PeerLine.Tests.Queue;

/// <summary>
/// What a view tells a party that comes back: which holder of the session this is (it changes exactly at each
/// handover, the same number for everyone), and how far the other side has acknowledged this party's messages.
/// The caller here is a bare hub connection, so every acknowledgement is the test's own.
/// </summary>
public sealed class ViewsAfterHandoversTests() : AppScenario
{
    [Fact]
    public async Task Holder_ZeroWhileWaiting_ThenOneMoreAtEachHandover_SameForCallerAndSupporter()
    {
        await using var ada = await App.SupporterOnShiftAsync("ada");
        await using var ben = await App.SupporterOnShiftAsync("ben");
        await using var cat = await App.SupporterOnShiftAsync("cat");
        await using var caller = await RawCallerAsync();
        var changes = new ConcurrentQueue<SessionChange>();
        caller.Connection.On<SessionChange>(nameof(ICallerClient.SessionChanged), changes.Enqueue);
        var session = caller.SessionId;

        var waiting = await caller.ViewAsync();
        Assert.Equal((SessionStates.Waiting, 0), (waiting.State, waiting.Holder));

        var atAda = await ada.ClaimNextAsync().Within();
        Assert.Equal(1, atAda.Holder);
        Assert.Equal(1, (await caller.ViewAsync()).Holder);

        await ada.TransferAsync(session, "ben").Within();
        await Waits.UntilAsync(() => changes.Any(c => c.Reason == ChangeReasons.Transferred));
        var atBen = (await ben.RefreshSessionsAsync().Within()).Single();
        var callerAtBen = await caller.ViewAsync();
        Assert.Equal((SessionStates.Active, 2), (callerAtBen.State, callerAtBen.Holder));
        Assert.Equal(2, atBen.Holder);

        await ben.TransferAsync(session, null).Within();
        await Waits.UntilAsync(() => changes.Any(c => c.Reason == ChangeReasons.ReturnedToQueue));
        Assert.Equal(SessionStates.Waiting, (await caller.ViewAsync()).State);
        var atCat = await cat.ClaimNextAsync().Within();
        Assert.Equal(session, atCat.SessionId);
        Assert.Equal(3, atCat.Holder);
        var callerAtCat = await caller.ViewAsync();
        Assert.Equal((SessionStates.Active, 3), (callerAtCat.State, callerAtCat.Holder));
        Assert.Empty(await ada.RefreshSessionsAsync().Within());
    }

    [Fact]
    public async Task PeerReceivedSeq_InEveryView_IsWhatTheOtherSideAcknowledged()
    {
        await using var supporter = await App.SupporterOnShiftAsync("dee");
        await App.CreateStaffAsync("lee", StaffRoles.Lead);
        await using var lead = await App.SupporterOnShiftAsync("lee", create: false);
        await using var caller = await RawCallerAsync();
        var session = caller.SessionId;
        var (atSupporter, atLead) = (Collect(supporter), Collect(lead));
        await supporter.ClaimNextAsync().Within();
        await supporter.InviteLeadAsync(session, "lee").Within();
        await caller.Connection.InvokeAsync(nameof(ICallerHub.AnswerLeadInvitation), session, true).Within();
        await Waits.UntilAsync(() => lead.IsLead(session), because: "the lead picks up the session");

        // Four numbers that differ, so a view that reads the wrong column fails: the relay clients acknowledge
        // everything they receive, the bare caller only what the test says.
        for (var seq = 1L; seq <= 5; seq++) await caller.SendAsync(nameof(ICallerHub.SendCiphertext), seq);
        for (var seq = 1L; seq <= 2; seq++) await caller.SendAsync(nameof(ICallerHub.SendToLead), seq);
        for (var i = 1; i <= 4; i++) await supporter.SendAsync(session, Bytes($"s{i}")).Within();
        for (var i = 1; i <= 3; i++) await lead.SendAsync(session, Bytes($"l{i}")).Within();
        await caller.Connection.InvokeAsync(nameof(ICallerHub.Acknowledge), session, 1L).Within();
        await caller.Connection.InvokeAsync(nameof(ICallerHub.AcknowledgeLead), session, 3L).Within();
        await Waits.UntilAsync(() => atSupporter.Count == 5 && atLead.Count == 2);
        await Waits.UntilAsync(async () => await App.DbAsync(db => db.Sessions.AnyAsync(s => s.Id == session
            && s.CallerAckedSeq == 5 && s.CallerToLeadAckedSeq == 2)), because: "the staff clients acknowledged what they kept");

        var callerView = await caller.ViewAsync();
        Assert.Equal((5L, 1L, 5L), (callerView.LastSentSeq, callerView.LastReceivedSeq, callerView.PeerReceivedSeq));
        Assert.Equal(new LeadLane(true, 2, 3, 2), callerView.Lead);
        var supporterView = (await supporter.RefreshSessionsAsync().Within()).Single();
        Assert.Equal((4L, 5L, 1L), (supporterView.LastSentSeq, supporterView.LastReceivedSeq, supporterView.PeerReceivedSeq));
        var leadView = (await lead.RefreshSessionsAsync().Within()).Single();
        Assert.Equal(SessionRoles.Lead, leadView.Role);
        Assert.Equal((3L, 2L, 3L), (leadView.LastSentSeq, leadView.LastReceivedSeq, leadView.PeerReceivedSeq));
        Assert.Equal(callerView.Holder, supporterView.Holder);
        Assert.Equal(callerView.Holder, leadView.Holder);
    }

    private async Task<RawCaller> RawCallerAsync()
    {
        var connection = App.RawConnection(HubRoutes.Caller);
        await connection.StartAsync().Within();
        var ticket = await connection.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Other, Priorities.Routine,
            await connection.SolvedPuzzleAsync()).Within();
        return new RawCaller(connection, ticket);
    }

    /// <summary>A caller that does only what the test asks: no automatic acknowledgement.</summary>
    private sealed class RawCaller(HubConnection connection, SessionTicket ticket) : IAsyncDisposable
    {
        public HubConnection Connection { get; } = connection;
        public string SessionId => ticket.SessionId;

        public Task<SessionView> ViewAsync() =>
            Connection.InvokeAsync<SessionView>(nameof(ICallerHub.Resume), ticket.SessionId, ticket.CallerSecret).Within();

        public Task SendAsync(string method, long seq) =>
            Connection.InvokeAsync(method, ticket.SessionId, Guid.NewGuid(), seq, Bytes($"{method}{seq}")).Within();

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }
}
