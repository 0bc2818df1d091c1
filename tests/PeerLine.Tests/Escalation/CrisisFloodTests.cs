using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Queue;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Escalation;

/// <summary>
/// A flood of crisis requests reads as a flood: the first alerts the leads at once, the rest of each
/// Escalation:CrisisAlertWindowSeconds become one alert with the number waiting; crisis requests still go first.
/// </summary>
public sealed class CrisisFloodTests() : AppScenario(new PeerLineApp(QuietTimers.With(new()
{
    ["Escalation:CrisisAlertWindowSeconds"] = "30",
    ["Puzzle:MaxBits"] = "4", // the flood raises the price; the test is about alerts
    // One test source makes the whole flood: the per-source limits are not what this test is about.
    ["Abuse:ConnectionsPerSource"] = "1000",
    ["Abuse:WaitingPerSource"] = "1000",
    ["Abuse:RequestsPerSourcePerHour"] = "1000",
}), new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T15:00:00Z"))))
{
    private const int Flood = 30;
    private FakeTimeProvider Time => App.Time!;

    [Fact]
    public async Task FloodOfCrisisRequests_OneAlertPerWindow_WithTheNumberWaiting_CrisisStillFirst()
    {
        await App.CreateStaffAsync("lena", StaffRoles.Lead);
        await using var lead = await App.StaffConnectionAsync("lena");
        await lead.InvokeAsync<ShiftStatus>(nameof(IStaffHub.StartShift), null).Within();
        var alerts = new ConcurrentQueue<CrisisAlert>();
        lead.On<CrisisAlert>(nameof(IStaffClient.CrisisAlert), alerts.Enqueue);
        await using var routine = await App.RequestSupportAsync(Topics.Burnout, Priorities.Routine);
        var callers = new List<PeerLine.Client.Relay.CallerRelayClient>();
        try
        {
            for (var i = 0; i < Flood; i++) callers.Add(await App.RequestSupportAsync(Topics.PatientDeath, Priorities.Crisis));

            Time.Advance(TimeSpan.FromSeconds(30)); // the window ends: one alert for the 29 held back
            await Waits.UntilAsync(() => alerts.Count >= 2, because: "the window's alert");
            var (first, coalesced) = (alerts.ElementAt(0), alerts.ElementAt(1));
            Assert.Equal(new CrisisAlert(callers[0].SessionId!, Topics.PatientDeath, 0, 1), first);
            Assert.Equal(callers[^1].SessionId, coalesced.SessionId);
            Assert.Equal(Flood, coalesced.Waiting);
            Assert.Equal(30, coalesced.WaitingSeconds);

            Time.Advance(TimeSpan.FromSeconds(30)); // nothing arrived in this window: it closes quietly
            callers.Add(await App.RequestSupportAsync(Topics.AdverseEvent, Priorities.Crisis));
            await Waits.UntilAsync(() => alerts.Count >= 3, because: "after a quiet window, a crisis request alerts at once");
            Assert.Equal(3, alerts.Count); // delivered in order: an alert per request would have come before this one
            Assert.Equal(new CrisisAlert(callers[^1].SessionId!, Topics.AdverseEvent, 0, Flood + 1), alerts.Last());

            await using var supporter = await App.SupporterOnShiftAsync("sam");
            Assert.Equal(callers[0].SessionId, (await supporter.ClaimNextAsync().Within()).SessionId);
            Assert.Equal(3, App.Logs.Lines.Count(l => l.Contains("Crisis alert: {Leads} on-shift leads alerted", StringComparison.Ordinal)));
            var recorded = await App.DbAsync(db => db.AuditEvents.Where(r => r.Kind == AuditKinds.CrisisAlert).OrderBy(r => r.Seq).ToListAsync());
            Assert.Equal([1L, Flood, Flood + 1], recorded.Select(r => AuditTrail.ToRecord(r).Count("waiting")!.Value));
            Assert.All(recorded, r => Assert.Equal(1, AuditTrail.ToRecord(r).Count("leads")));
            Assert.All(recorded, r => Assert.DoesNotContain("session", r.Fields, StringComparison.Ordinal));
        }
        finally
        {
            foreach (var caller in callers) await caller.DisposeAsync();
        }
    }

    [Fact]
    public async Task CrisisRequestsAllTakenBeforeTheWindowEnds_NoFurtherAlert()
    {
        await App.CreateStaffAsync("lena", StaffRoles.Lead);
        await using var lead = await App.StaffConnectionAsync("lena");
        await lead.InvokeAsync<ShiftStatus>(nameof(IStaffHub.StartShift), null).Within();
        var alerts = new ConcurrentQueue<CrisisAlert>();
        lead.On<CrisisAlert>(nameof(IStaffClient.CrisisAlert), alerts.Enqueue);
        await using var supporter = await App.SupporterOnShiftAsync("sam", capacity: 2);
        await using var one = await App.RequestSupportAsync(Topics.PatientDeath, Priorities.Crisis);
        await using var two = await App.RequestSupportAsync(Topics.PatientDeath, Priorities.Crisis);
        await supporter.ClaimNextAsync().Within();
        await supporter.ClaimNextAsync().Within();

        Time.Advance(TimeSpan.FromSeconds(30));
        Time.Advance(TimeSpan.FromSeconds(30));
        await using var three = await App.RequestSupportAsync(Topics.Other, Priorities.Crisis);

        await Waits.UntilAsync(() => alerts.Count >= 2, because: "the next crisis request after a quiet window");
        Assert.Equal([one.SessionId, three.SessionId], alerts.Select(a => a.SessionId)); // nothing was left waiting for the first window's end
        Assert.Equal(1, await App.DbAsync(db => db.Sessions.CountAsync(s => s.State == SessionState.Waiting)));
    }
}
