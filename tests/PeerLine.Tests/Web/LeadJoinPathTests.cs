using Microsoft.Playwright;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Web;

/// <summary>
/// A lead joins only with the caller's consent, in Chromium: the supporter asks from the console, the caller says yes
/// on the caller page, the lead's console gets the chat with its own secure connection.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class LeadJoinPathTests(Chromium chromium) : AppScenario(new PeerLineApp(kestrel: true))
{
    [Fact]
    public async Task SupporterAsks_CallerSaysYes_LeadReadsTheCallerAndIsShownAsLead()
    {
        var supporter = await ConsolePage.OnShiftAsync(chromium, App, "sue");
        var lead = await ConsolePage.OnShiftAsync(chromium, App, "leo", StaffRoles.Lead);
        var caller = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(App.BaseAddress);
        await caller.AskForSupportAsync("An adverse event or error");
        var pane = await supporter.TakeNextAsync();
        await caller.SafetyCodeAsync();

        await pane.GetByText("Ask a lead to join").ClickAsync();
        await pane.GetByRole(AriaRole.Textbox, new() { Name = "Lead to invite to Chat 1" }).FillAsync("leo");
        await pane.GetByRole(AriaRole.Button, new() { Name = "Ask the caller" }).ClickAsync();
        await Expect(caller.Page.Locator("#lead-consent")).ToBeVisibleAsync();
        await Chromium.AssertAccessibleAsync(caller.Page, "caller asked about a lead");
        await caller.Page.GetByRole(AriaRole.Button, new() { Name = "Yes, they may join" }).ClickAsync();

        var leadPane = lead.Page.Locator(".chat-pane");
        await Expect(leadPane.Locator("h3")).ToContainTextAsync("(as lead)");
        var leadCode = await ConsolePage.SafetyCodeAsync(leadPane);
        await Expect(caller.Page.Locator("#messages")).ToContainTextAsync($"Their safety code is {leadCode}");
        await Expect(pane.Locator(".note").Last).ToContainTextAsync("A lead joined");

        await caller.SendAsync("to both of you");
        await ConsolePage.WaitForReceivedAsync(pane, "to both of you");
        await ConsolePage.WaitForReceivedAsync(leadPane, "to both of you");
        await ConsolePage.SendAsync(leadPane, "the lead here");
        await Expect(caller.Page.Locator("#messages .msg.in.from-other")).ToContainTextAsync("the lead here");
        Assert.DoesNotContain("the lead here", await ConsolePage.ReceivedAsync(pane));

        await leadPane.GetByRole(AriaRole.Button, new() { Name = "Leave chat" }).ClickAsync();
        await Expect(leadPane).ToHaveCountAsync(0);
        await Expect(caller.Page.Locator("#messages")).ToContainTextAsync("The lead left the chat.");
        chromium.AssertNoProblems(caller.Page);
    }
}
