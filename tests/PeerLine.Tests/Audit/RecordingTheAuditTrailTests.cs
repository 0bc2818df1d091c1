using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Staff;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Audit;

/// <summary>What the trail holds after real actions: typed, coded events with pseudonyms and coarsened times.</summary>
public sealed class RecordingTheAuditTrailTests : AppScenario
{
    [Fact]
    public async Task OneSupportedSession_EventsInOrder_PseudonymsNotLiveIds_TimesOnTheHour()
    {
        var sessionId = await App.SupportedSessionAsync("sam");
        using var auditor = await App.AuditorAsync();

        var events = await auditor.EventsAsync();
        var session = events.Where(e => e.Fields.ContainsKey("session")).ToList();
        Assert.Equal(
            [AuditKinds.SessionRequested, AuditKinds.SessionClaimed, AuditKinds.ResourceOffered, AuditKinds.SessionClosed],
            session.Select(e => e.Kind));
        var pseudonym = session[0].Fields["session"].ToString()!;
        Assert.All(session, e => Assert.Equal(pseudonym, e.Fields["session"].ToString()));
        Assert.Matches("^[cbdefghijklnrtuv]{24}$", pseudonym);
        Assert.NotEqual(sessionId, pseudonym);
        Assert.Equal(Topics.PatientDeath, session[0].Fields["topic"].ToString());
        Assert.Equal(Priorities.Soon, session[0].Fields["priority"].ToString());
        Assert.Equal(ResourceKinds.PhysicianSupportLine, session[2].Fields["resource"].ToString());
        Assert.Equal(Dispositions.ReferredTier3, session[3].Fields["disposition"].ToString());
        Assert.Equal("supporter", session[3].Fields["by"].ToString());

        var staffId = await App.DbAsync(db => db.Users.Where(u => u.UserName == "sam").Select(u => u.Id).SingleAsync());
        var json = await auditor.GetStringAsync("/api/audit/events?limit=500");
        Assert.DoesNotContain(sessionId, json);
        Assert.DoesNotContain(staffId, json);
        Assert.DoesNotContain("\"sam\"", json);
        Assert.All(events, e => Assert.Equal(0, e.At.Minute + e.At.Second + e.At.Millisecond));
        Assert.Contains(events, e => e.Kind == AuditKinds.ShiftStarted && e.Fields["staff"].ToString() == session[1].Fields["staff"].ToString());
    }

    [Fact]
    public async Task SignIns_SuccessFailureAndThrottled_AreCountedWithoutWhatWasTyped()
    {
        await App.CreateStaffAsync("ola");
        using var http = App.Http();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/api/staff/login", new StaffLogin("nobody-such", "x"))).StatusCode);
        var refused = await http.PostAsJsonAsync("/api/staff/login", new StaffLogin("ola", "wrong password here"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var auditor = await App.AuditorAsync();

        var events = await auditor.EventsAsync();
        var failed = events.Where(e => e.Kind == AuditKinds.StaffLoginFailed).ToList();
        Assert.Equal(["unknown", "bad-password"], failed.Select(e => e.Fields["reason"].ToString()));
        Assert.False(failed[0].Fields.ContainsKey("staff"));
        Assert.True(failed[1].Fields.ContainsKey("staff"));
        Assert.Contains(events, e => e.Kind == AuditKinds.StaffLogin && e.Fields["method"].ToString() == "token");
        Assert.DoesNotContain("nobody-such", await auditor.GetStringAsync("/api/audit/events?limit=500"));
    }

    [Fact]
    public async Task ThrottledSignIns_OneEventWithTheCount()
    {
        await using var app = new PeerLineApp(new() { ["StaffAuth:LoginsPerMinute"] = "3", ["Audit:CheckIntervalSeconds"] = "3600" });
        await app.CreateStaffAsync("audra", StaffRoles.Auditor);
        var token = await app.TokenAsync("audra");
        using var http = app.Http();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
            statuses.Add((await http.PostAsJsonAsync("/api/staff/login", new StaffLogin("audra", "wrong wrong wrong"))).StatusCode);
        Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.TooManyRequests));

        await app.Services.GetRequiredService<AuditCheckpointer>().PassAsync(CancellationToken.None);
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var throttled = (await http.EventsAsync($"&kind={AuditKinds.StaffLoginThrottled}")).Single();
        Assert.Equal("4", throttled.Fields["refused"].ToString());
    }

    [Fact]
    public async Task StaffAdministration_AddRoleChangeCertifyRevokeDisable_EachRecorded()
    {
        var accounts = App.Services.GetRequiredService<StaffAccounts>();
        await App.CreateStaffAsync("kit");
        Assert.Empty(await accounts.SetRoleAsync("kit", StaffRoles.Lead));
        await accounts.RevokeKeysAsync("kit");
        Assert.True(await accounts.DisableAsync("kit"));
        using var auditor = await App.AuditorAsync();

        var kit = (await auditor.EventsAsync())
            .Where(e => e.Kind is AuditKinds.StaffAdded or AuditKinds.RoleChanged or AuditKinds.KeyRevoked or AuditKinds.StaffDisabled)
            .Take(4).ToList();
        Assert.Equal([AuditKinds.StaffAdded, AuditKinds.RoleChanged, AuditKinds.KeyRevoked, AuditKinds.StaffDisabled], kit.Select(e => e.Kind));
        Assert.Equal(StaffRoles.Lead, kit[1].Fields["role"].ToString());
        Assert.Single(kit.Select(e => e.Fields["staff"].ToString()).Distinct());
    }

    [Fact]
    public async Task DisablingASupporterOnShift_RecordsTheShiftEndAndTheRevokedKey()
    {
        await using (var kit = await App.SupporterOnShiftAsync("kit"))
        {
            using var device = NSec.Cryptography.Key.Create(NSec.Cryptography.KeyAgreementAlgorithm.X25519);
            await kit.EnrollDeviceKeyAsync(device.PublicKey.Export(KeyBlobFormat.RawPublicKey)).Within();
        }

        Assert.True(await App.Services.GetRequiredService<StaffAccounts>().DisableAsync("kit"));

        using var auditor = await App.AuditorAsync();
        var events = await auditor.EventsAsync();
        var disabled = events.FindIndex(e => e.Kind == AuditKinds.StaffDisabled);
        Assert.True(disabled >= 0);
        var after = events.Skip(disabled + 1).Take(2).ToList();
        Assert.Equal([AuditKinds.ShiftEnded, AuditKinds.KeyRevoked], after.Select(e => e.Kind));
        Assert.Equal("disabled", after[0].Fields["reason"].ToString());
        Assert.Equal("1", after[1].Fields["keys"].ToString());
    }

    [Fact]
    public async Task Filters_ByKindAndTimeRange_AndPages()
    {
        await App.SupportedSessionAsync("sam");
        await App.SupportedSessionAsync("sam");
        using var auditor = await App.AuditorAsync();

        var claims = await auditor.EventsAsync($"&kind={AuditKinds.SessionClaimed}");
        Assert.Equal(2, claims.Count);
        var hour = claims[0].At;
        Assert.Equal(2, (await auditor.EventsAsync($"&kind={AuditKinds.SessionClaimed}&from={Uri.EscapeDataString(hour.ToString("O"))}")).Count);
        Assert.Empty(await auditor.EventsAsync($"&from={Uri.EscapeDataString(hour.AddHours(1).ToString("O"))}"));
        Assert.Empty(await auditor.EventsAsync($"&to={Uri.EscapeDataString(hour.ToString("O"))}"));
        // "from" inside the hour still finds that hour's events: their stored time is the hour's start.
        var from = Uri.EscapeDataString(hour.AddMinutes(59).ToString("O"));
        Assert.Equal(2, (await auditor.EventsAsync($"&kind={AuditKinds.SessionClaimed}&from={from}")).Count);

        var first = await auditor.GetFromJsonAsync<AuditEventPage>("/api/audit/events?limit=3");
        Assert.Equal(3, first!.Events.Count);
        Assert.Equal(60, first.TimeResolutionMinutes);
        var second = await auditor.GetFromJsonAsync<AuditEventPage>($"/api/audit/events?limit=3&after={first.Next}");
        Assert.Equal(first.Events[^1].Seq + 1, second!.Events[0].Seq);

        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.GetAsync("/api/audit/events?kind=free-text-here")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.GetAsync("/api/audit/events?from=yesterday-ish")).StatusCode);
    }

    [Fact]
    public async Task OnlyAuditors_ReadTheTrail()
    {
        await App.CreateStaffAsync("lea", StaffRoles.Lead);
        using var lead = await App.SignedInHttpAsync("lea");
        using var anonymous = App.Http();

        foreach (var path in new[] { "/api/audit/events", "/api/audit/integrity", "/api/audit/export", "/api/audit/kinds" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await lead.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task DemotedOrDisabledAuditor_LosesAccessAtOnce_EvenWithAnUnexpiredToken()
    {
        var accounts = App.Services.GetRequiredService<StaffAccounts>();
        using var demoted = await App.AuditorAsync("audra");
        using var disabled = await App.AuditorAsync("aldo");
        Assert.Equal(HttpStatusCode.OK, (await demoted.GetAsync("/api/audit/kinds")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await disabled.GetAsync("/api/audit/kinds")).StatusCode);

        Assert.Empty(await accounts.SetRoleAsync("audra", StaffRoles.Supporter));
        Assert.True(await accounts.DisableAsync("aldo"));

        // The token still decodes, so the answer is "forbidden", with no identity behind it.
        Assert.Equal(HttpStatusCode.Forbidden, (await demoted.GetAsync("/api/audit/kinds")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await disabled.GetAsync("/api/audit/kinds")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await disabled.GetAsync("/api/staff/me")).StatusCode);
    }

    [Fact]
    public async Task Integrity_RecordsDeletedUnderASignedCheckpoint_AreMissing()
    {
        using var auditor = await App.AuditorAsync();
        await App.SupportedSessionAsync("sam");
        var checkpoint = await App.Services.GetRequiredService<AuditTrail>().CheckpointAsync(CancellationToken.None);

        await App.DbAsync(db => db.AuditEvents.Where(r => r.Seq >= checkpoint!.Size - 1).ExecuteDeleteAsync());

        var status = await auditor.GetFromJsonAsync<IntegrityStatus>("/api/audit/integrity");
        Assert.False(status!.Intact);
        Assert.Equal(checkpoint!.Size - 1, status.FirstBadSeq);
        Assert.Contains("missing", status.Problem);
    }

    [Fact]
    public async Task Integrity_VerifiedUpToTheCheckpoint_ThenAnEditedRowIsNamed()
    {
        await App.SupportedSessionAsync("sam");
        var checkpoint = await App.Services.GetRequiredService<AuditTrail>().CheckpointAsync(CancellationToken.None);
        using var auditor = await App.AuditorAsync();

        var status = await auditor.GetFromJsonAsync<IntegrityStatus>("/api/audit/integrity");
        Assert.True(status!.Intact);
        Assert.Equal(checkpoint!.Size, status.VerifiedThrough);
        Assert.Equal(0, status.CheckpointSignedAt!.Value.Minute); // rounded like the events, or it would time them
        Assert.Equal(App.AuditPublicKey(), status.PublicKey);

        var requested = (await auditor.EventsAsync($"&kind={AuditKinds.SessionRequested}")).Single().Seq;
        await App.DbAsync(db => db.AuditEvents.Where(r => r.Seq == requested)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Fields, r => r.Fields.Replace("patient-death", "burnout"))));
        var tampered = await auditor.GetFromJsonAsync<IntegrityStatus>("/api/audit/integrity");
        Assert.False(tampered!.Intact);
        Assert.Equal(requested, tampered.FirstBadSeq);
        Assert.Contains("hash", tampered.Problem);
    }
}
