using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Queue;
using PeerLine.Server.Retention;
using PeerLine.Tests.Audit;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Retention;

/// <summary>What is deleted when, and that each run of the retention job is itself on the record.</summary>
public sealed class RetentionTests() : AppScenario(new PeerLineApp(QuietTimers.With(new()
{
    ["Retention:SessionDays"] = "1",
    ["Retention:ShiftRecordDays"] = "8",
    ["Retention:AuditDays"] = "2",
}), new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T09:00:00Z"))))
{
    private FakeTimeProvider Time => App.Time!;
    private RetentionJob Job => App.Services.GetRequiredService<RetentionJob>();

    [Fact]
    public async Task Ciphertext_IsGoneAtClose_NotAtRetention()
    {
        // Bare connections that never acknowledge, so both messages are still stored when the session closes.
        await App.CreateStaffAsync("sam");
        await using var staff = await App.StaffConnectionAsync("sam");
        await staff.InvokeAsync<ShiftStatus>(nameof(IStaffHub.StartShift), null).Within();
        await using var caller = App.RawConnection(HubRoutes.Caller);
        await caller.StartAsync().Within();
        var ticket = await caller.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Burnout, Priorities.Routine,
            await caller.SolvedPuzzleAsync()).Within();
        var view = await staff.InvokeAsync<SessionView>(nameof(IStaffHub.ClaimNext)).Within();
        await caller.InvokeAsync(nameof(ICallerHub.SendCiphertext), ticket.SessionId, Guid.NewGuid(), 1L,
            Encoding.UTF8.GetBytes("ciphertext-canary-5e1d")).Within();
        await staff.InvokeAsync(nameof(IStaffHub.SendCiphertext), view.SessionId, Guid.NewGuid(), 1L,
            Encoding.UTF8.GetBytes("ciphertext-canary-77af")).Within();
        Assert.Equal(2, await App.DbAsync(db => db.Messages.CountAsync(m => m.SessionId == view.SessionId)));

        await staff.InvokeAsync(nameof(IStaffHub.CloseSession), view.SessionId, Dispositions.Supported).Within();

        Assert.Equal(0, await App.DbAsync(db => db.Messages.CountAsync(m => m.SessionId == view.SessionId)));
        await App.AssertPlaintextNowhereAsync("ciphertext-canary-5e1d", "ciphertext-canary-77af");
        Assert.Equal(SessionState.Closed, await App.DbAsync(db => db.Sessions.Where(s => s.Id == view.SessionId).Select(s => s.State).SingleAsync()));
    }

    [Fact]
    public async Task EndedSessionsAndTheirResourceKinds_GoAfterTheirPeriod_LiveOnesStay_TheRunIsAudited()
    {
        var ended = await App.SupportedSessionAsync("sam");
        await using var waiting = await App.RequestSupportAsync();
        Time.Advance(TimeSpan.FromHours(23));
        var early = await Job.RunAsync(CancellationToken.None);
        Assert.Equal(0, early.Sessions);

        Time.Advance(TimeSpan.FromHours(2));
        var run = await Job.RunAsync(CancellationToken.None);

        Assert.Equal(1, run.Sessions);
        Assert.Equal(1, run.Resources);
        Assert.False(await App.DbAsync(db => db.Sessions.AnyAsync(s => s.Id == ended)));
        Assert.True(await App.DbAsync(db => db.Sessions.AnyAsync(s => s.Id == waiting.SessionId)));
        Assert.Equal(0, await App.DbAsync(db => db.SharedResources.CountAsync()));
        using var auditor = await App.AuditorAsync();
        var runs = await auditor.EventsAsync($"&kind={AuditKinds.RetentionRun}");
        Assert.Equal(["0", "1"], runs.Select(r => r.Fields["sessions"].ToString()));
    }

    [Fact]
    public async Task ShiftRecords_KeptForTheWeeklyCap_ThenDeleted()
    {
        await using (var supporter = await App.SupporterOnShiftAsync("sam")) await supporter.EndShiftAsync().Within();
        Time.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, (await Job.RunAsync(CancellationToken.None)).ShiftRecords);

        Time.Advance(TimeSpan.FromDays(1.1));
        Assert.Equal(1, (await Job.RunAsync(CancellationToken.None)).ShiftRecords);
        Assert.Equal(0, await App.DbAsync(db => db.ShiftRecords.CountAsync()));
    }

    [Fact]
    public async Task OldAuditEvents_Deleted_TheRestStillVerifies_AndACutStartIsCaught()
    {
        await App.SupportedSessionAsync("sam");
        await App.Services.GetRequiredService<AuditTrail>().CheckpointAsync(CancellationToken.None);
        var before = await App.DbAsync(db => db.AuditEvents.CountAsync());
        Time.Advance(TimeSpan.FromDays(3));
        await App.SupportedSessionAsync("sam");

        var run = await Job.RunAsync(CancellationToken.None);

        Assert.Equal(before, run.AuditEvents);
        Assert.Equal(before + 1, run.KeptFrom);
        Assert.Equal(run.KeptFrom, await App.DbAsync(db => db.AuditEvents.MinAsync(r => r.Seq)));
        var lines = await App.ExportLinesAsync();
        var verified = await AuditSteps.VerifyAsync(lines, App.AuditPublicKey());
        Assert.True(verified.Exit == 0, verified.Err);
        Assert.Contains($"(seq {run.KeptFrom} to", verified.Out);

        var cut = await AuditSteps.VerifyAsync(lines.Skip(1), App.AuditPublicKey());
        Assert.Equal(1, cut.Exit);
        Assert.Contains($"records {run.KeptFrom} to {run.KeptFrom} are missing", cut.Err);
        using var auditor = await App.AuditorAsync();
        var status = await auditor.GetFromJsonAsync<IntegrityStatus>("/api/audit/integrity");
        Assert.True(status!.Intact, status.Problem);
    }
}
