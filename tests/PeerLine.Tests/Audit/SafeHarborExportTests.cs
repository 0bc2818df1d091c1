using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;
using PeerLine.Client.E2E;
using PeerLine.Protocol.Audit;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Retention;
using PeerLine.Server.Roster;
using PeerLine.Server.Staff;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Audit;

/// <summary>
/// A scripted run full of identifiers (names as logins, PHI typed into the chat, identifiers tried as logins), then
/// the auditor's export is scanned for the 18 HIPAA Safe Harbor identifier types and every canary: nothing is found.
/// </summary>
public sealed class SafeHarborExportTests : AppScenario
{
    private const string Phi = "Patient Robert Miller, MRN 00482913, DOB 03/14/1961, (617) 555-0199, SSN 078-05-1120, "
        + "r.miller@example.com, 10.20.30.40, https://ehr.example.org/chart/00482913, 12 Elm Street 02139, VIN 1HGCM82633A004352";
    private static readonly string[] Names = ["maria", "garcia", "john", "smith", "audra", "jones", "robert", "miller", "jane", "doe"];
    private static readonly string[] TriedAsLogins = ["jane.doe@example.org", "555-867-5309", "123-45-6789", "MRN-7741920"];

    private readonly Key _supporterDevice = Key.Create(KeyAgreementAlgorithm.X25519);
    private readonly Key _leadDevice = Key.Create(KeyAgreementAlgorithm.X25519);

    public override async Task DisposeAsync()
    {
        _supporterDevice.Dispose();
        _leadDevice.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task ScriptedRunWithCanaries_ExportHoldsNoSafeHarborIdentifier()
    {
        var literals = new List<string>(TriedAsLogins) { "Robert Miller", "00482913", "078-05-1120", "r.miller@example.com", "canary-7f3a" };
        using var anonymous = App.Http();
        foreach (var login in TriedAsLogins)
            await anonymous.PostAsJsonAsync("/api/staff/login", new StaffLogin(login, "canary-7f3a " + Phi));

        await using var supporter = await App.CertifiedSupporterAsync("maria.garcia", _supporterDevice);
        await using var lead = await App.CertifiedSupporterAsync("john.smith", _leadDevice, StaffRoles.Lead);
        await using var caller = new CallerClient(App.RelayOptions(), await App.PinnedTrustAsync());
        var invited = new TaskCompletionSource();
        caller.LeadInvited += _ => invited.TrySetResult();
        var ticket = await caller.RequestSupportAsync(Topics.PatientDeath, Priorities.Crisis).Within();
        literals.AddRange([ticket.SessionId, ticket.CallerSecret]);
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        await caller.Established.Within();
        await caller.SendAsync(Phi).Within();
        await supporter.SendAsync(session, "Thank you, canary-7f3a, " + Phi).Within();
        await supporter.Relay.ShareResourceAsync(session, ResourceKinds.PhysicianSupportLine).Within();
        await supporter.Relay.InviteLeadAsync(session, "john.smith").Within();
        await invited.Task.Within();
        await caller.AnswerLeadInvitationAsync(accept: true).Within();
        await lead.EstablishedAsync(session).Within();
        await supporter.CloseAsync(session, Dispositions.HandedTo988).Within();
        await caller.Relay.GiveFeedbackAsync(new Dictionary<string, string> { [FeedbackQuestions.Helped] = "yes" }).Within();

        await using var leaving = await App.RequestSupportAsync(Topics.Burnout, Priorities.Routine);
        literals.AddRange([leaving.SessionId!, leaving.CallerSecret!]);
        await leaving.EndAsync().Within();

        var accounts = App.Services.GetRequiredService<StaffAccounts>();
        Assert.Empty(await accounts.SetRoleAsync("john.smith", StaffRoles.Supporter));
        await accounts.RevokeKeysAsync("maria.garcia");
        await accounts.DisableAsync("maria.garcia");
        await App.Services.GetRequiredService<RetentionJob>().RunAsync(CancellationToken.None);
        await App.CreateStaffAsync("audra.jones", StaffRoles.Auditor);
        var token = await App.TokenAsync("audra.jones");
        literals.Add(token);
        literals.AddRange(await App.DbAsync(db => db.Users.Select(u => u.Id).ToListAsync()));
        literals.AddRange(new[] { _supporterDevice, _leadDevice }
            .Select(k => DeviceKeyService.KeyIdOf(k.PublicKey.Export(KeyBlobFormat.RawPublicKey))));
        literals.AddRange(Names.Select(n => n + ".")); // a login like "maria.garcia" in any form

        using var auditor = App.Http();
        auditor.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var export = await auditor.GetStringAsync("/api/audit/export");

        var kinds = export.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Kind).OfType<string>().ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            AuditKinds.StaffLoginFailed, AuditKinds.StaffAdded, AuditKinds.KeyCertified, AuditKinds.StaffLogin, AuditKinds.ShiftStarted,
            AuditKinds.SessionRequested, AuditKinds.CrisisAlert, AuditKinds.SessionClaimed, AuditKinds.ResourceOffered, AuditKinds.LeadJoined,
            AuditKinds.SessionClosed, AuditKinds.RoleChanged, AuditKinds.KeyRevoked, AuditKinds.StaffDisabled,
            AuditKinds.RetentionRun, AuditKinds.ExportMade,
        }, kinds);
        Assert.Empty(SafeHarborScan.Findings(export, Names, literals));
        Assert.DoesNotContain("could not be written", App.Logs.All); // no event of the run was lost
        Assert.True((await AuditSteps.VerifyAsync(export.Split('\n', StringSplitOptions.RemoveEmptyEntries), App.AuditPublicKey())).Exit == 0);
    }

    [Fact]
    public void TheScan_FindsEachIdentifierType_WhenOneIsThere()
    {
        string[] planted =
        [
            "Robert", "02139", "12 Elm Street", "03/14/1961", "(617) 555-0199", "r.miller@example.com", "078-05-1120", "00482913",
            "MRN-48291", "1HGCM82633A004352", "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "a3f9c2d17b604e5f", "https://ehr.example.org",
            "10.20.30.40", "fe80::1", "data:image/png", "2026-11-25T14:37:00Z",
        ];
        foreach (var value in planted)
        {
            var line = EventLine(1, "staff-login", $$"""{"method":"{{value}}"}""");
            Assert.NotEmpty(SafeHarborScan.Findings(line, Names, []));
        }
        var clean = EventLine(12, "session-claimed", """{"session":"cbdefghijklnrtuvcbdefghi","wait-seconds":120}""");
        Assert.Empty(SafeHarborScan.Findings(clean, Names, []));
    }

    private static string EventLine(int seq, string kind, string fields) =>
        $$"""{"type":"event","seq":{{seq}},"at":"2026-11-25T14:00:00Z","kind":"{{kind}}","fields":{{fields}},"prev":"00","hash":"00","sig":"00"}""";

    private static string? Kind(string line) =>
        AuditEncoding.TryParseLine(line, out var record, out _, out _) ? record?.Kind : null;
}
