using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Queue;
using PeerLine.Server.Relay;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Relay;

/// <summary>
/// An active session nobody is in any more: the caller away and the supporter without a staff-hub connection, for
/// Relay:IdleSessionHours (24 by default). The server closes it as closed-idle; anyone still connected keeps it open.
/// </summary>
public sealed class IdleSessionsTests() : AppScenario(new PeerLineApp(QuietTimers.With(new()
{
    ["Relay:IdleCheckSeconds"] = "86400", // the test runs the check itself
}), new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T09:00:00Z"))))
{
    private FakeTimeProvider Time => App.Time!;

    [Fact]
    public async Task CallerAndSupporterGoneForADay_SessionClosedIdle_BothFindItClosedOnReturn()
    {
        var (session, secret, supporterId) = await ActiveSessionAsync(supporterStays: false);

        Time.Advance(TimeSpan.FromHours(23));
        await CheckIdleAsync();
        Assert.Equal(SessionState.Active, await StateAsync(session));

        Time.Advance(TimeSpan.FromHours(1));
        await CheckIdleAsync();

        Assert.Equal(SessionState.Closed, await StateAsync(session));
        Assert.Equal(0, await App.DbAsync(db => db.Shifts.Where(s => s.SupporterId == supporterId).Select(s => s.ActiveSessions).SingleAsync()));
        await Waits.UntilAsync(() => App.DbAsync(db => db.AuditEvents.AnyAsync(e => e.Kind == AuditKinds.SessionClosed && e.Fields.Contains("\"idle\""))),
            because: "the close is in the audit trail, by idle");

        await using var caller = new CallerRelayClient(App.RelayOptions());
        Assert.Equal(SessionStates.Closed, (await caller.ResumeAsync(session, secret).Within()).State);
        await using var supporter = new SupporterRelayClient(App.RelayOptions(), "gus", PeerLineApp.Password);
        Assert.DoesNotContain(await supporter.ConnectAsync().Within(), v => v.SessionId == session);
    }

    [Fact]
    public async Task CallerGoneForADay_SupporterStillConnected_SessionStaysOpen()
    {
        var (session, _, _) = await ActiveSessionAsync(supporterStays: true);

        Time.Advance(TimeSpan.FromHours(30));
        await CheckIdleAsync();

        Assert.Equal(SessionState.Active, await StateAsync(session));
    }

    [Fact]
    public async Task SupporterBackBrieflyWithinTheDay_SessionStaysOpenForAnotherDay()
    {
        var (session, _, supporterId) = await ActiveSessionAsync(supporterStays: false);
        Time.Advance(TimeSpan.FromHours(20));
        await using (var back = new SupporterRelayClient(App.RelayOptions(), "gus", PeerLineApp.Password)) await back.ConnectAsync().Within();
        await Waits.UntilAsync(() => Presence.GoneSince(supporterId, Time.GetUtcNow().ToUnixTimeMilliseconds()), because: "gone again");

        Time.Advance(TimeSpan.FromHours(10)); // the caller 30 h away, the supporter 10 h
        await CheckIdleAsync();

        Assert.Equal(SessionState.Active, await StateAsync(session));
    }

    private StaffPresence Presence => App.Services.GetRequiredService<StaffPresence>();

    private Task CheckIdleAsync() => App.Services.GetRequiredService<IdleSessionCloser>().CloseIdleAsync(CancellationToken.None);

    /// <summary>A claimed session whose caller has gone; the supporter's client stays connected or is gone too.</summary>
    private async Task<(string Session, string Secret, string SupporterId)> ActiveSessionAsync(bool supporterStays)
    {
        var supporter = await App.SupporterOnShiftAsync("gus");
        var caller = await App.RequestSupportAsync();
        var (session, secret) = (caller.SessionId!, caller.CallerSecret!);
        await supporter.ClaimNextAsync().Within();
        await caller.DisposeAsync();
        await Waits.UntilAsync(() => App.DbAsync(db => db.Sessions.AnyAsync(s => s.Id == session && s.CallerAwaySince != null)),
            because: "the caller is away");
        var supporterId = await App.DbAsync(db => db.Sessions.Where(s => s.Id == session).Select(s => s.SupporterId!).SingleAsync());
        if (supporterStays)
        {
            _keep = supporter;
        }
        else
        {
            await supporter.DisposeAsync();
            await Waits.UntilAsync(() => Presence.GoneSince(supporterId, Time.GetUtcNow().ToUnixTimeMilliseconds()), because: "the supporter is gone");
        }
        return (session, secret, supporterId);
    }

    private SupporterRelayClient? _keep;

    public override async Task DisposeAsync()
    {
        if (_keep is not null) await _keep.DisposeAsync();
        await base.DisposeAsync();
    }

    private Task<SessionState> StateAsync(string session) =>
        App.DbAsync(db => db.Sessions.Where(s => s.Id == session).Select(s => s.State).SingleAsync());
}
