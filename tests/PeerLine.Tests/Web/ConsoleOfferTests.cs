using PeerLine.Client.E2E;
using Microsoft.Playwright;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Web;

/// <summary>Push mode in the console: an offered chat is taken or declined from a banner.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ConsoleOfferTests(Chromium chromium)
    : AppScenario(new PeerLineApp(new() { ["Queue:Mode"] = "Push" }, kestrel: true))
{
    [Fact]
    public async Task OfferedChat_DeclinedThenOfferedAgain_Taken_Secure()
    {
        var console = await ConsolePage.OnShiftAsync(chromium, App, "max");
        await using var caller = new CallerClient(App.RelayOptions(), await App.PinnedTrustAsync());
        await caller.RequestSupportAsync(Topics.LitigationOrComplaint, Priorities.Soon).Within();

        var offer = console.Page.Locator("#offer");
        await Expect(offer).ToContainTextAsync("A complaint or litigation");
        // The offer may come back within milliseconds of being hidden: a mutation observer sees the hiding however brief.
        await offer.EvaluateAsync("""
            e => new MutationObserver((_, seen) => { if (e.hidden) { e.dataset.wasHidden = 'yes'; seen.disconnect(); } })
                .observe(e, { attributes: true, attributeFilter: ['hidden'] })
            """);
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Not now" }).ClickAsync();
        await Expect(offer).ToHaveAttributeAsync("data-was-hidden", "yes");

        // Nobody else is on shift, so the declined chat comes back to the same supporter.
        await Expect(offer).ToBeVisibleAsync();
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Take this chat" }).ClickAsync();
        await Expect(console.Page.Locator(".chat-pane")).ToHaveCountAsync(1);
        Assert.Equal(await caller.Established.Within(), await ConsolePage.SafetyCodeAsync(console.Page.Locator(".chat-pane")));
    }
}
