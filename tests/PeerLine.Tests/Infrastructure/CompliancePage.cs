using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Infrastructure;

/// <summary>The compliance view as an auditor or a lead uses it: by its labels, buttons and tables.</summary>
public sealed class CompliancePage(IPage page)
{
    public IPage Page => page;

    public ILocator Integrity => page.Locator("#integrity");
    public ILocator Events => page.Locator("#events");
    public ILocator Download => page.Locator("#download");
    public ILocator Metrics => page.Locator("#metrics");
    public ILocator EventRows => page.Locator("#events-table tbody tr");

    /// <summary>Signs in on /compliance and waits until the page knows what this account may see.</summary>
    public async Task<CompliancePage> SignInAsync(Uri server, string login, string password = PeerLineApp.Password)
    {
        await page.GotoAsync(new Uri(server, "/compliance").ToString());
        await page.GetByLabel("Login").FillAsync(login);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("body[data-access]")).ToHaveCountAsync(1);
        return this;
    }

    /// <summary>Every section this account sees has loaded.</summary>
    public Task WaitLoadedAsync() => Expect(page.Locator("body[data-loaded='true']")).ToHaveCountAsync(1);

    /// <summary>
    /// Shows only the events of one kind (its code) and waits until the table holds exactly <paramref name="expected"/> rows of it.
    /// </summary>
    public async Task FilterEventsAsync(string kind, int expected)
    {
        await Events.GetByLabel("Event", new() { Exact = true }).SelectOptionAsync(kind);
        await Events.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
        await Expect(page.Locator($"#events-table tbody tr:not([data-kind='{kind}'])")).ToHaveCountAsync(0);
        await Expect(EventRows).ToHaveCountAsync(expected);
    }

    /// <summary>Downloads the export through the page's link and saves it as <paramref name="path"/>; returns its suggested name.</summary>
    public async Task<string> DownloadExportAsync(string path)
    {
        var download = await page.RunAndWaitForDownloadAsync(() =>
            Download.GetByRole(AriaRole.Link, new() { Name = "Download the audit trail" }).ClickAsync());
        await download.SaveAsAsync(path);
        return download.SuggestedFilename;
    }

    public ILocator MetricsTable(string id) => page.Locator($"#metrics table[data-table='{id}']");
}
