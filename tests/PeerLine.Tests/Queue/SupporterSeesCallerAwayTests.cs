using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Queue;

/// <summary>
/// The supporter holding an active session and the lead in it hear CallerPresence when the caller's connection goes
/// away and when the caller resumes; their views say the same (callerPresent).
/// </summary>
public sealed class SupporterSeesCallerAwayTests() : AppScenario
{
    [Fact]
    public async Task CallerDropsAndResumes_SupporterAndLeadToldEachTime_ViewsAgree()
    {
        await using var supporter = await App.SupporterOnShiftAsync("ida");
        await using var lead = await LeadOnShiftAsync("lyn");
        await using var atSupporter = await PresenceWatchAsync("ida");
        await using var atLead = await PresenceWatchAsync("lyn");
        var caller = await App.RequestSupportAsync();
        var (id, secret) = (caller.SessionId!, caller.CallerSecret!);
        var claimed = await supporter.ClaimNextAsync().Within();
        Assert.True(claimed.CallerPresent);
        await supporter.InviteLeadAsync(id, "lyn").Within();
        await caller.AnswerLeadInvitationAsync(accept: true).Within();
        await Waits.UntilAsync(() => lead.IsLead(id), because: "the lead picks up the session");

        await caller.DisposeAsync();

        await Waits.UntilAsync(() => atSupporter.Events.Count == 1 && atLead.Events.Count == 1, because: "both hear the caller left");
        Assert.Equal(new CallerPresence(id, false), atSupporter.Events.Single());
        Assert.Equal(new CallerPresence(id, false), atLead.Events.Single());
        Assert.False((await supporter.RefreshSessionsAsync().Within()).Single().CallerPresent);
        var leadView = (await lead.RefreshSessionsAsync().Within()).Single();
        Assert.Equal(SessionRoles.Lead, leadView.Role);
        Assert.False(leadView.CallerPresent);

        await using var back = new CallerRelayClient(App.RelayOptions());
        var callerView = await back.ResumeAsync(id, secret).Within();

        Assert.True(callerView.CallerPresent);
        await Waits.UntilAsync(() => atSupporter.Events.Count == 2 && atLead.Events.Count == 2, because: "both hear the caller is back");
        Assert.Equal(new CallerPresence(id, true), atSupporter.Events.Last());
        Assert.Equal(new CallerPresence(id, true), atLead.Events.Last());
        Assert.True((await supporter.RefreshSessionsAsync().Within()).Single().CallerPresent);
        Assert.True((await lead.RefreshSessionsAsync().Within()).Single().CallerPresent);
        App.Logs.AssertNoErrors();
    }

    [Fact]
    public async Task WaitingCallerDrops_NoSupporterIsTold()
    {
        await using var supporter = await App.SupporterOnShiftAsync("jon");
        await using var atSupporter = await PresenceWatchAsync("jon");
        var waiting = await App.RequestSupportAsync();
        await waiting.DisposeAsync();
        await Waits.UntilAsync(async () => await App.DbAsync(db =>
            db.Sessions.AnyAsync(s => s.CallerAwaySince != null)),
            because: "the disconnect is recorded");

        // A later, active session's drop is told: the waiting one's, recorded before it, was not.
        var active = await App.RequestSupportAsync();
        var session = (await supporter.ClaimAsync(active.SessionId!).Within()).SessionId;
        await active.DisposeAsync();
        await Waits.UntilAsync(() => !atSupporter.Events.IsEmpty, because: "the active session's caller left");
        Assert.Equal([new CallerPresence(session, false)], atSupporter.Events);
    }

    private async Task<SupporterRelayClient> LeadOnShiftAsync(string login)
    {
        await App.CreateStaffAsync(login, StaffRoles.Lead);
        return await App.SupporterOnShiftAsync(login, create: false);
    }

    /// <summary>A second staff connection of the same login, recording the CallerPresence events sent to that login.</summary>
    private async Task<PresenceWatch> PresenceWatchAsync(string login)
    {
        var connection = await App.StaffConnectionAsync(login);
        var watch = new PresenceWatch(connection);
        connection.On<CallerPresence>(nameof(IStaffClient.CallerPresence), watch.Events.Enqueue);
        return watch;
    }

    private sealed class PresenceWatch(HubConnection connection) : IAsyncDisposable
    {
        public ConcurrentQueue<CallerPresence> Events { get; } = new();
        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
