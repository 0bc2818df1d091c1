using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Tests.Audit;
using PeerLine.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Web;

/// <summary>
/// The compliance view in Chromium: an auditor checks the trail, filters it, downloads a copy that verifies offline and
/// reads the program metrics; a lead sees the metrics only; any other account is turned away.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ComplianceViewTests(Chromium chromium)
    : AppScenario(new PeerLineApp(new() { ["Audit:MaxPageSize"] = PageSize.ToString(), ["Metrics:IncludeCurrentWeek"] = "true" }, kestrel: true))
{
    private const int PageSize = 4; // the page asks for 100 events at a time; the server gives at most this many

    private string SignedOutAtFirst => "401 (Unauthorized) at " + new Uri(App.BaseAddress, "/api/staff/me");

    [Fact]
    public async Task Auditor_AfterASession_SeesItVerified_FiltersByKind_DownloadsAnExportThatVerifies_SeesWithheldCells()
    {
        await App.SupportedSessionAsync("sam");
        var checkpoint = await App.Services.GetRequiredService<AuditTrail>().CheckpointAsync(CancellationToken.None);
        await App.CreateStaffAsync("audra", StaffRoles.Auditor);

        var compliance = await new CompliancePage(await chromium.NewPageAsync(1440, 900)).SignInAsync(App.BaseAddress, "audra");
        var page = compliance.Page;
        await compliance.WaitLoadedAsync();
        var verdict = compliance.Integrity.GetByRole(AriaRole.Status);
        await Expect(verdict).ToContainTextAsync("Verified: ");
        await Expect(verdict).ToContainTextAsync($"signed checkpoint covers records up to {checkpoint!.Size}, signed ");
        await Expect(page.Locator("#audit-key")).ToHaveTextAsync(App.AuditPublicKey());
        await Expect(page.Locator("#verify-command"))
            .ToHaveTextAsync($"dotnet run --project src/PeerLine.Cli -- audit verify FILE --key {App.AuditPublicKey()}");

        await Expect(compliance.EventRows).ToHaveCountAsync(PageSize);
        await compliance.Events.GetByRole(AriaRole.Button, new() { Name = "Show more" }).ClickAsync();
        await Expect(compliance.EventRows).ToHaveCountAsync(2 * PageSize);
        Assert.Equal(Enumerable.Range(1, 2 * PageSize).Select(n => n.ToString()),
            await compliance.EventRows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.seq)"));

        var claims = await App.DbAsync(db => db.AuditEvents.CountAsync(e => e.Kind == AuditKinds.SessionClaimed));
        Assert.True(claims > 0, "the session was claimed");
        await compliance.FilterEventsAsync(AuditKinds.SessionClaimed, claims);
        var first = compliance.EventRows.First;
        await Expect(first.Locator("td").Nth(2)).ToHaveTextAsync("Session claimed");
        await Expect(first.Locator("td").Nth(3)).ToContainTextAsync("wait-seconds:");
        Assert.Matches(@"^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:00–\d{2}:00 UTC$", await first.Locator("td").Nth(1).TextContentAsync());
        await compliance.Events.GetByLabel("From (UTC)").FillAsync("2026-11-25T15:00");
        await compliance.Events.GetByLabel("To (UTC)").FillAsync("2026-11-25T14:00");
        await compliance.Events.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
        await Expect(page.Locator("#events-status")).ToHaveTextAsync("The filter is not valid: “From” must be before “To”.");

        var file = Path.Combine(App.DataDirectory, "downloaded.jsonl");
        Assert.Matches(@"^peerline-audit-\d{8}\.jsonl$", await compliance.DownloadExportAsync(file));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await PeerLine.Cli.Cli.RunAsync(["audit", "verify", file, "--key", App.AuditPublicKey()], new StringReader(""), stdout, stderr);
        Assert.True(exit == 0, stderr.ToString());
        Assert.StartsWith("verified ", stdout.ToString());

        await Expect(compliance.Metrics.Locator("table")).ToHaveCountAsync(6);
        var withheld = compliance.MetricsTable("sessions").Locator("td[data-withheld='true']");
        await Expect(withheld.First).ToHaveAttributeAsync("title", "withheld");
        await Expect(page.Locator("#metrics-legend")).ToContainTextAsync("withheld: a count from 1 to 10");

        await Chromium.AssertAccessibleAsync(page, "compliance view, auditor");
        await Screenshot(page, "compliance-1440x900.png");
        await page.SetViewportSizeAsync(390, 844);
        await Chromium.AssertAccessibleAsync(page, "compliance view, auditor, narrow screen");
        await Screenshot(page, "compliance-390x844.png");
        chromium.AssertNoProblems(page, SignedOutAtFirst);
    }

    [Fact]
    public async Task Auditor_ARecordEditedInTheDatabase_IntegrityCheckFailsAtThatRecord()
    {
        await App.SupportedSessionAsync("sam");
        await App.DbAsync(db => db.AuditEvents.Where(e => e.Seq == 3).ExecuteUpdateAsync(u => u.SetProperty(e => e.Kind, AuditKinds.RetentionRun)));
        await App.CreateStaffAsync("audra", StaffRoles.Auditor);

        var compliance = await new CompliancePage(await chromium.NewPageAsync(1440, 900)).SignInAsync(App.BaseAddress, "audra");
        await compliance.WaitLoadedAsync();

        await Expect(compliance.Integrity.GetByRole(AriaRole.Alert))
            .ToHaveTextAsync("Integrity check FAILED at record 3: the hash does not match the record's content");
        await Chromium.AssertAccessibleAsync(compliance.Page, "compliance view, integrity failed");
        chromium.AssertNoProblems(compliance.Page, SignedOutAtFirst);
    }

    [Fact]
    public async Task Lead_SeesOnlyTheMetrics_TheAuditApiIsNeverAsked()
    {
        await App.CreateStaffAsync("lena", StaffRoles.Lead);
        var page = await chromium.NewPageAsync(1440, 900);
        var auditRequests = new ConcurrentQueue<string>();
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url).AbsolutePath.StartsWith("/api/audit", StringComparison.Ordinal)) auditRequests.Enqueue(request.Url);
        };

        var compliance = await new CompliancePage(page).SignInAsync(App.BaseAddress, "lena");
        await compliance.WaitLoadedAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Program overview");
        await Expect(compliance.MetricsTable("sessions")).ToBeVisibleAsync();
        await Expect(compliance.MetricsTable("feedback-would-return")).ToBeVisibleAsync();
        await Expect(compliance.Integrity).ToBeHiddenAsync();
        await Expect(compliance.Events).ToBeHiddenAsync();
        await Expect(compliance.Download).ToBeHiddenAsync();
        Assert.Empty(auditRequests);
        await Chromium.AssertAccessibleAsync(page, "compliance view, lead");
        chromium.AssertNoProblems(page, SignedOutAtFirst);
    }

    [Fact]
    public async Task Supporter_IsToldTheViewIsForAuditorsAndLeads()
    {
        await App.CreateStaffAsync("sid");
        var compliance = await new CompliancePage(await chromium.NewPageAsync(1440, 900)).SignInAsync(App.BaseAddress, "sid");

        await Expect(compliance.Page.Locator("#not-for-you")).ToContainTextAsync("This view is for auditors and leads.");
        await Expect(compliance.Metrics).ToBeHiddenAsync();
        await Chromium.AssertAccessibleAsync(compliance.Page, "compliance view, not for this account");
        chromium.AssertNoProblems(compliance.Page, SignedOutAtFirst);
    }

    private static Task<byte[]> Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Directory, name), FullPage = false });
}
