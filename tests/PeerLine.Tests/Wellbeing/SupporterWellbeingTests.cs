using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Wellbeing;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Wellbeing;

/// <summary>
/// Shift length, weekly hours and debriefs, with a fake clock: notices reach the supporter and the leads on shift,
/// and nobody else.
/// </summary>
public sealed class SupporterWellbeingTests() : AppScenario(new PeerLineApp(new()
{
    ["Wellbeing:MaxShiftMinutes"] = "60",
    ["Wellbeing:ShiftWarningMinutes"] = "10",
    ["Wellbeing:WeeklyHoursCap"] = "2",
    ["Wellbeing:CheckIntervalSeconds"] = "3600", // the test checks by itself
    ["Queue:SweepIntervalSeconds"] = "3600",
}, new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T15:00:00Z"))))
{
    private FakeTimeProvider Time => App.Time!;

    private Task CheckAsync() => App.Services.GetRequiredService<WellbeingService>().CheckAsync(CancellationToken.None);

    [Fact]
    public async Task LongShift_WarnedOnceBeforeTheMaximum_EndedAtIt_ChatsKept_LeadsToldOthersNot()
    {
        var (lead, toLead) = await StaffOnShiftAsync("lia", StaffRoles.Lead);
        var (colleague, toColleague) = await StaffOnShiftAsync("cal", StaffRoles.Supporter);
        var (me, toMe) = await StaffOnShiftAsync("mo", StaffRoles.Supporter);
        await using var caller = await App.RequestSupportAsync();
        await me.InvokeAsync<SessionView>(nameof(IStaffHub.Claim), caller.SessionId).Within();

        Time.Advance(TimeSpan.FromMinutes(49));
        await CheckAsync();
        Assert.Empty(toMe);
        Time.Advance(TimeSpan.FromMinutes(1));
        await CheckAsync();
        await CheckAsync();

        await Waits.UntilAsync(() => toMe.Count == 1 && toLead.Count(n => n.Login == "mo") == 1);
        Assert.Equal(new WellbeingNotice(WellbeingNotices.ShiftLong, "mo", 50, 50), toMe.Single());
        Assert.DoesNotContain(toColleague, n => n.Login == "mo");

        Time.Advance(TimeSpan.FromMinutes(10));
        await CheckAsync();
        await Waits.UntilAsync(() => toMe.Any(n => n.Kind == WellbeingNotices.ShiftEnded));
        Assert.False(await App.DbAsync(db =>
            db.Shifts.Where(s => s.OnShift).AnyAsync(s => db.Users.Any(u => u.Id == s.SupporterId && u.UserName == "mo"))));
        Assert.Equal(SessionStates.Active, (await me.InvokeAsync<IReadOnlyList<SessionView>>(nameof(IStaffHub.Resume)).Within()).Single().State);

        using var http = await App.SignedInHttpAsync("mo");
        var status = await http.GetFromJsonAsync<WellbeingService.Status>("/api/staff/wellbeing");
        Assert.Equal(new WellbeingService.Status(false, 0, 60, 60, 120), status);
    }

    [Fact]
    public async Task WeeklyCap_CountsTheLastSevenDays_EndsTheShiftAtTheCap_RefusesTheNext()
    {
        var (me, toMe) = await StaffOnShiftAsync("wes", StaffRoles.Supporter, startShift: false);
        var id = await App.DbAsync(db => db.Users.Where(u => u.UserName == "wes").Select(u => u.Id).SingleAsync());
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        await App.DbAsync(async db =>
        {
            const long day = 86_400_000L;
            db.ShiftRecords.Add(new ShiftRecord { SupporterId = id, StartedAt = now - 8 * day, EndedAt = now - 8 * day + 3 * 3_600_000L }); // too old
            db.ShiftRecords.Add(new ShiftRecord { SupporterId = id, StartedAt = now - 2 * day, EndedAt = now - 2 * day + 110 * 60_000L });
            return await db.SaveChangesAsync();
        });

        await me.InvokeAsync<ShiftStatus>(nameof(IStaffHub.StartShift), null).Within(); // 110 of 120 minutes
        Time.Advance(TimeSpan.FromMinutes(10));
        await CheckAsync();

        await Waits.UntilAsync(() => toMe.Any(n => n.Kind == WellbeingNotices.WeeklyCap));
        Assert.Equal(120, toMe.Single(n => n.Kind == WellbeingNotices.WeeklyCap).WeekMinutes);
        var refused = await Assert.ThrowsAsync<HubException>(() => me.InvokeAsync<ShiftStatus>(nameof(IStaffHub.StartShift), null).Within());
        Assert.EndsWith(ErrorCodes.WeeklyCapReached, refused.Message);
    }

    [Fact]
    public async Task CrisisSessionClosed_DebriefSuggested_ToTheSupporterAndLeads_NotAfterARoutineOne()
    {
        var (lead, toLead) = await StaffOnShiftAsync("lu", StaffRoles.Lead);
        var (me, toMe) = await StaffOnShiftAsync("dee", StaffRoles.Supporter);
        await using var routine = await App.RequestSupportAsync(Topics.Burnout, Priorities.Routine);
        await using var crisis = await App.RequestSupportAsync(Topics.PatientDeath, Priorities.Crisis);
        await me.InvokeAsync<SessionView>(nameof(IStaffHub.Claim), routine.SessionId).Within();
        await me.InvokeAsync<SessionView>(nameof(IStaffHub.Claim), crisis.SessionId).Within();

        await me.InvokeAsync(nameof(IStaffHub.CloseSession), routine.SessionId, Dispositions.Supported).Within();
        await crisis.EndAsync().Within(); // the caller leaves a crisis chat

        await Waits.UntilAsync(() => !toMe.IsEmpty && toLead.Any(n => n.Login == "dee"));
        Assert.Equal(WellbeingNotices.DebriefSuggested, toMe.Single().Kind);
        Assert.Equal(WellbeingNotices.DebriefSuggested, toLead.Single(n => n.Login == "dee").Kind);
    }

    private async Task<(HubConnection Connection, ConcurrentQueue<WellbeingNotice> Notices)> StaffOnShiftAsync(
        string login, string role, bool startShift = true)
    {
        await App.CreateStaffAsync(login, role);
        var connection = await App.StaffConnectionAsync(login);
        var notices = new ConcurrentQueue<WellbeingNotice>();
        connection.On<WellbeingNotice>(nameof(IStaffClient.WellbeingNotice), notices.Enqueue);
        if (startShift) await connection.InvokeAsync<ShiftStatus>(nameof(IStaffHub.StartShift), null).Within();
        return (connection, notices);
    }
}
