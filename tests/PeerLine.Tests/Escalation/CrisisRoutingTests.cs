using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Escalation;

/// <summary>
/// The routing rules with a fake clock: a crisis goes first, shows the crisis lines and alerts on-shift leads; nobody on
/// shift or outside coverage shows the open resources at once; a long wait offers them while the caller keeps their place.
/// </summary>
public sealed class CrisisRoutingTests() : AppScenario(new PeerLineApp(new()
{
    ["Routing:LongWaitMinutes"] = "5",
    ["Routing:Coverage:TimeZone"] = "America/New_York",
    ["Routing:Coverage:Weekly:0:Days:0"] = "weekdays",
    ["Routing:Coverage:Weekly:0:From"] = "08:00",
    ["Routing:Coverage:Weekly:0:To"] = "20:00",
    ["Queue:SweepIntervalSeconds"] = "3600", // the test sweeps by itself
}, new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T15:00:00Z")))) // a Wednesday, 10:00 in New York
{
    private FakeTimeProvider Time => App.Time!;

    [Fact]
    public async Task CrisisRequest_TopOfTheQueue_CrisisLinesAtOnce_OnShiftLeadsAlerted_SupportersNot()
    {
        await App.CreateStaffAsync("lena", StaffRoles.Lead);
        await using var lead = await App.StaffConnectionAsync("lena");
        await lead.InvokeAsync<ShiftStatus>(nameof(IStaffHub.StartShift), null).Within();
        await App.CreateStaffAsync("offduty", StaffRoles.Lead);
        await using var offShiftLead = await App.StaffConnectionAsync("offduty");
        await using var supporter = await App.SupporterOnShiftAsync("sam");
        var alerts = Alerts(lead);
        var offShiftAlerts = Alerts(offShiftLead);
        await using var routine = await App.RequestSupportAsync(Topics.Burnout, Priorities.Routine);

        await using var crisis = await App.RequestSupportAsync(Topics.PatientDeath, Priorities.Crisis);

        Assert.Equal(ResourceReasons.Crisis, crisis.Ticket!.Queue.Resources);
        Assert.Equal(1, crisis.Ticket.Queue.Position);
        await Waits.UntilAsync(() => alerts.Count == 1, because: "the on-shift lead is alerted");
        Assert.Equal(new CrisisAlert(crisis.SessionId!, Topics.PatientDeath, 0), alerts.Single());
        Assert.Empty(offShiftAlerts);
        Assert.Contains("Crisis alert: {Leads} on-shift leads alerted, {Waiting} crisis requests waiting", App.Logs.All);
        Assert.Null(routine.Ticket!.Queue.Resources); // staffed, in hours, not waiting long
        Assert.Equal(crisis.SessionId, (await supporter.ClaimNextAsync().Within()).SessionId);
    }

    [Fact]
    public async Task NobodyOnShift_OpenResourcesAtOnce_UntilSomeoneStartsAShift()
    {
        var moves = new ConcurrentQueue<QueueStatus>();
        await using var caller = await App.RequestSupportAsync(Topics.AdverseEvent, Priorities.Soon);
        caller.QueueMoved += moves.Enqueue;
        Assert.Equal(ResourceReasons.NobodyOnShift, caller.Ticket!.Queue.Resources);

        await using var supporter = await App.SupporterOnShiftAsync("ana");

        await Waits.UntilAsync(() => moves.Any(m => m.Resources is null), because: "a supporter on shift: no reason to show resources any more");
        Assert.Equal(1, moves.Last().Position);
    }

    [Fact]
    public async Task OutsideCoverageHours_OpenResourcesAtOnce_EvenWithSomeoneOnShift_AndTheCallerMayWait()
    {
        Time.SetUtcNow(DateTimeOffset.Parse("2026-11-28T15:00:00Z")); // Saturday
        await using var volunteer = await App.SupporterOnShiftAsync("vic");
        await using var caller = await App.RequestSupportAsync(Topics.Burnout, Priorities.Routine);

        Assert.Equal(ResourceReasons.OutsideHours, caller.Ticket!.Queue.Resources);
        Assert.Equal(SessionStates.Waiting, caller.Ticket.Queue.State);
        Assert.Equal(caller.SessionId, (await volunteer.ClaimNextAsync().Within()).SessionId); // still answered by whoever is there
    }

    [Fact]
    public async Task CoverageBeginsWhileWaiting_ResourcesWithdrawn()
    {
        Time.SetUtcNow(DateTimeOffset.Parse("2026-11-26T12:58:00Z")); // Thursday, 07:58 in New York
        await using var early = await App.SupporterOnShiftAsync("eve");
        await App.SweepQueueAsync(); // the sweeper has seen the line uncovered
        var moves = new ConcurrentQueue<QueueStatus>();
        await using var caller = await App.RequestSupportAsync(Topics.Other, Priorities.Routine);
        caller.QueueMoved += moves.Enqueue;
        Assert.Equal(ResourceReasons.OutsideHours, caller.Ticket!.Queue.Resources);

        Time.Advance(TimeSpan.FromMinutes(3)); // 08:01
        await App.SweepQueueAsync();

        await Waits.UntilAsync(() => moves.Any(m => m.Resources is null), because: "coverage began");
    }

    [Fact]
    public async Task WaitingPastTheThreshold_ResourcesOffered_CallerKeepsTheirPlace()
    {
        await using var busy = await App.SupporterOnShiftAsync("bo", capacity: 1);
        await using var first = await App.RequestSupportAsync(Topics.AdverseEvent, Priorities.Soon);
        await busy.ClaimNextAsync().Within();
        Time.Advance(TimeSpan.FromMinutes(1));
        await using var caller = await App.RequestSupportAsync(Topics.AdverseEvent, Priorities.Routine);
        await using var later = await App.RequestSupportAsync(Topics.Burnout, Priorities.Routine);
        var moves = new ConcurrentQueue<QueueStatus>();
        caller.QueueMoved += moves.Enqueue;
        Assert.Null(caller.Ticket!.Queue.Resources);

        Time.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(59));
        await App.SweepQueueAsync();
        await SomeoneMoreUrgentComesAndGoesAsync(moves);
        Assert.DoesNotContain(moves, m => m.Resources is not null);
        Time.Advance(TimeSpan.FromSeconds(1)); // exactly five minutes
        await App.SweepQueueAsync();

        await Waits.UntilAsync(() => moves.Any(m => m.Resources == ResourceReasons.LongWait), because: "five minutes in the queue");
        var status = moves.Last(m => m.Resources == ResourceReasons.LongWait);
        Assert.Equal(1, status.Position);
        Assert.Equal(SessionStates.Waiting, status.State);
        Assert.Contains("Resources offered to waiting callers ({Reason})", App.Logs.All);
    }

    /// <summary>
    /// A barrier for the caller's queue updates: a more urgent request puts the caller second, then ends, and the
    /// caller is first again. Notifier passes run one at a time and a caller hears them in order, so once both moves
    /// are heard, every pass an earlier sweep started has been heard too; and both moves carry the resources due now.
    /// </summary>
    private async Task SomeoneMoreUrgentComesAndGoesAsync(ConcurrentQueue<QueueStatus> moves)
    {
        await using var ahead = await App.RequestSupportAsync(Topics.Other, Priorities.Soon);
        await Waits.UntilAsync(() => moves.Any(m => m.Position == 2), because: "a more urgent request goes ahead");
        await ahead.EndAsync().Within();
        await Waits.UntilAsync(() => moves.SkipWhile(m => m.Position != 2).Any(m => m.Position == 1), because: "first again");
    }

    private static ConcurrentQueue<CrisisAlert> Alerts(HubConnection connection)
    {
        var alerts = new ConcurrentQueue<CrisisAlert>();
        connection.On<CrisisAlert>(nameof(IStaffClient.CrisisAlert), alerts.Enqueue);
        return alerts;
    }
}
