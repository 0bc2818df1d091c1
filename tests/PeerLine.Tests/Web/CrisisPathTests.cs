using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using NSec.Cryptography;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Queue;
using PeerLine.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Web;

/// <summary>
/// The crisis path in Chromium: the caller says they are in danger, sees the crisis lines at once, the on-shift lead
/// is alerted and takes the chat, shares the Physician Support Line as a card and closes with a hand-over to 988.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class CrisisPathTests(Chromium chromium) : AppScenario(new PeerLineApp(kestrel: true))
{
    [Fact]
    public async Task CallerInDanger_CrisisLinesAtOnce_LeadAlerted_TakesIt_SharesPsl_HandsOverTo988()
    {
        var console = await ConsolePage.OnShiftAsync(chromium, App, "lee", StaffRoles.Lead);

        var caller = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(App.BaseAddress);
        await caller.AskForSupportAsync("A patient death", inDanger: true);
        var lines = caller.Page.Locator("#resources-now");
        await Expect(lines).ToContainTextAsync("You do not have to wait");
        await Expect(lines.Locator("[data-resource='988']")).ToContainTextAsync("Text 988");
        await Expect(lines.Locator("[data-resource='psl']")).ToContainTextAsync("Call 1-888-409-0141");
        await Expect(caller.Page.Locator("#position")).ToHaveTextAsync("You are next in line.");

        var alert = console.Page.Locator(".crisis-alert");
        await Expect(alert).ToContainTextAsync("Crisis request waiting · A patient death");
        await Chromium.AssertAccessibleAsync(console.Page, "lead console with a crisis alert");
        await alert.GetByRole(AriaRole.Button, new() { Name = "Take it" }).ClickAsync();
        var pane = console.Page.Locator(".chat-pane");
        await Expect(pane).ToHaveAttributeAsync("data-priority", "crisis");
        Assert.Equal(await caller.SafetyCodeAsync(), await ConsolePage.SafetyCodeAsync(pane));
        await Expect(lines).ToBeHiddenAsync(); // in the chat the lines stay under Help now

        await pane.GetByText("Share a resource").ClickAsync();
        await pane.Locator("select[aria-label^='Resource to share']").SelectOptionAsync(new SelectOptionValue { Label = "Physician Support Line" });
        await pane.GetByRole(AriaRole.Button, new() { Name = "Share in chat" }).ClickAsync();
        var card = caller.Page.Locator("#messages .msg.in.resource");
        await Expect(card).ToContainTextAsync("Physician Support Line");
        await Expect(card).ToContainTextAsync("Call 1-888-409-0141");
        await Waits.UntilAsync(async () => await App.DbAsync(db => db.SharedResources.AnyAsync()), because: "the card's kind is recorded");

        await ConsolePage.CloseAsync(pane, "Handed over to 988");
        await Expect(console.Page.Locator(".wellbeing-notice[data-kind='debrief-suggested']")).ToContainTextAsync("That was a crisis conversation");
        await Chromium.AssertAccessibleAsync(console.Page, "console with a debrief notice");
        var stored = await App.DbAsync(db => db.Sessions.Select(s => new { s.Disposition, s.Priority }).SingleAsync());
        Assert.Equal((Disposition.HandedTo988, Priority.Crisis), (stored.Disposition, stored.Priority));
        Assert.Equal([ResourceKinds.PhysicianSupportLine], await App.DbAsync(db => db.SharedResources.Select(r => r.Kind).ToListAsync()));
        await App.AssertPlaintextNowhereAsync("Volunteer psychiatrists who listen", "1-888-409-0141"); // the card itself went end to end
        chromium.AssertNoProblems(caller.Page);
    }
}

/// <summary>
/// Outside the line's coverage hours the caller is shown what is open now at once, and may still wait: a volunteer on
/// shift can still answer.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AfterHoursPathTests(Chromium chromium) : AppScenario(new PeerLineApp(OutsideCoverageNow(), kestrel: true))
{
    private readonly Key _device = Key.Create(KeyAgreementAlgorithm.X25519);

    public override async Task DisposeAsync()
    {
        _device.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>Coverage of one hour, twelve hours away from now (UTC), so that the real clock is outside it.</summary>
    private static Dictionary<string, string?> OutsideCoverageNow()
    {
        var from = (DateTime.UtcNow.Hour + 12) % 24;
        return new()
        {
            ["Routing:Coverage:TimeZone"] = "UTC",
            ["Routing:Coverage:Weekly:0:Days:0"] = "daily",
            ["Routing:Coverage:Weekly:0:From"] = $"{from:00}:00",
            ["Routing:Coverage:Weekly:0:To"] = $"{(from + 1) % 24:00}:00",
        };
    }

    [Fact]
    public async Task OutsideCoverage_OpenResourcesAtOnce_CallerKeepsTheirPlace_AndCanStillBeAnswered()
    {
        await using var volunteer = await App.CertifiedSupporterAsync("val", _device);
        var caller = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(App.BaseAddress);
        await caller.AskForSupportAsync("Burnout or exhaustion", now: false);

        var open = caller.Page.Locator("#resources-now");
        await Expect(open).ToContainTextAsync("outside their usual hours");
        await Expect(open.Locator("[data-resource='988']")).ToContainTextAsync("Open now");
        await Expect(open.Locator("[data-resource='eap']")).ToHaveCountAsync(0); // by appointment: not "open now"
        await Expect(caller.Page.Locator("#position")).ToHaveTextAsync("You are next in line.");
        await Expect(caller.Page.Locator("body")).ToHaveAttributeAsync("data-resources", "outside-hours");
        await Chromium.AssertAccessibleAsync(caller.Page, "caller waiting outside coverage hours");

        var session = (await volunteer.ClaimNextAsync().Within()).SessionId;
        Assert.Equal(await caller.SafetyCodeAsync(), await volunteer.EstablishedAsync(session).Within());
        chromium.AssertNoProblems(caller.Page);
    }
}
