using Microsoft.Playwright;
using NSec.Cryptography;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Web;

/// <summary>
/// Both pages in every step a person sees: no serious or critical accessibility violation (axe-core), no script,
/// CSP or integrity error, nothing fetched from another origin; screenshots written as test artifacts.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class PageQualityTests(Chromium chromium) : AppScenario(new PeerLineApp(kestrel: true))
{
    private readonly Key _device = Key.Create(KeyAgreementAlgorithm.X25519);

    public override async Task DisposeAsync()
    {
        _device.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task CallerPage_EveryStep_Accessible_NoErrors_Screenshot390x844()
    {
        await using var supporter = await App.CertifiedSupporterAsync("ivy", _device);
        var caller = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(App.BaseAddress);
        var page = caller.Page;
        await AssertAccessibleAsync(page, "caller welcome");
        await Screenshot(page, "caller-welcome-390x844.png");

        await page.GetByRole(AriaRole.Button, new() { Name = "Help now" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("1-888-409-0141");
        await AssertAccessibleAsync(page, "caller help now");
        await page.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        await caller.AskForSupportAsync(inDanger: true);
        await Expect(page.Locator("#resources-now")).ToContainTextAsync("988");
        await AssertAccessibleAsync(page, "caller waiting, crisis lines shown");
        await Screenshot(page, "caller-crisis-390x844.png");

        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        await caller.SafetyCodeAsync();
        await caller.SendAsync("Thank you for picking up.");
        await supporter.SendAsync(session, "I'm here. What happened today?").Within();
        await caller.WaitForReceivedAsync("I'm here. What happened today?");
        await caller.WaitAllDeliveredAsync(1);
        await AssertAccessibleAsync(page, "caller chat");
        await Screenshot(page, "caller-chat-390x844.png");

        await caller.EndAsync();
        await AssertAccessibleAsync(page, "caller ended");
        chromium.AssertNoProblems(page);
    }

    [Fact]
    public async Task SupporterConsole_EveryStep_Accessible_NoErrors_Screenshot1440x900()
    {
        await App.CreateStaffAsync("jay");
        var page = await chromium.NewPageAsync(1440, 900);
        await page.GotoAsync(new Uri(App.BaseAddress, "/staff").ToString());
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "console sign-in");

        var console = await new ConsolePage(page).SignInAsync(App.BaseAddress, "jay");
        await Expect(page.Locator("#enrol")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "console enrolment");
        await Screenshot(page, "console-enrolment-1440x900.png");
        await console.EnrolAsync(() => App.CertifyAsync("jay"));
        await console.StartShiftAsync();

        await using var first = await App.RequestSupportAsync(Topics.AdverseEvent, Priorities.Crisis);
        await using var second = await App.RequestSupportAsync(Topics.Burnout, Priorities.Routine);
        await using var third = await App.RequestSupportAsync(Topics.PatientDeath, Priorities.Soon);
        await console.WaitForWaitingAsync(3);
        await Expect(page.Locator("#queue .queue-entry").First).ToContainTextAsync("Crisis");
        await console.TakeNextAsync();
        await console.TakeNextAsync();
        await Expect(page.Locator("#shift-timer")).ToContainTextAsync("On shift 00:0");
        await Expect(page.Locator("#week-hours")).ToHaveTextAsync("This week 0 min of 24 h 00 min");
        await AssertAccessibleAsync(page, "console desk with two chats");
        await Screenshot(page, "console-desk-1440x900.png");

        await page.GetByRole(AriaRole.Button, new() { Name = "End shift" }).ClickAsync();
        await Expect(page.Locator("body[data-shift=off]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#shift-timer")).ToBeHiddenAsync();
        await Expect(page.Locator(".chat-pane")).ToHaveCountAsync(2); // chats already held stay until closed or transferred
        chromium.AssertNoProblems(page, "401 (Unauthorized) at " + new Uri(App.BaseAddress, "/api/staff/me")); // signed out at first
    }

    private static Task AssertAccessibleAsync(IPage page, string step) => Chromium.AssertAccessibleAsync(page, step);

    private static Task<byte[]> Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Directory, name), FullPage = false });
}
