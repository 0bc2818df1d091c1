using Microsoft.Playwright;
using PeerLine.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Web;

/// <summary>
/// Continuity without identity in Chromium: the caller takes a return code during a chat; later, in a fresh browser,
/// the code brings them to the same supporter first, whose console recognises the episode.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ReturnPathTests(Chromium chromium) : AppScenario(new PeerLineApp(kestrel: true))
{
    [Fact]
    public async Task CallerTakesAReturnCode_ComesBackInAnotherBrowser_SameSupporterAskedFirst_AndRecognised()
    {
        var console = await ConsolePage.OnShiftAsync(chromium, App, "rae");

        var first = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(App.BaseAddress);
        await first.AskForSupportAsync("A complaint or litigation");
        var pane = await console.TakeNextAsync();
        await first.SafetyCodeAsync();
        await first.Page.GetByText("Talk with this supporter again later?").ClickAsync();
        await first.Page.GetByRole(AriaRole.Button, new() { Name = "Get a return code" }).ClickAsync();
        var code = (await first.Page.Locator("#return-code-box .code").TextContentAsync())!;
        await Chromium.AssertAccessibleAsync(first.Page, "caller with a return code");
        Assert.Matches("^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$", code);
        await Expect(pane.Locator(".note").Last).ToContainTextAsync("The caller took a return code");
        Assert.Equal(1, await first.SessionStorageLengthAsync()); // the code is not kept on the device
        var storage = await first.Page.EvaluateAsync<string>("() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage)");
        Assert.DoesNotContain(code.Replace("-", ""), storage);
        await first.EndAsync();
        await ConsolePage.CloseAsync(pane, "Supported");

        var again = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(App.BaseAddress);
        await again.Page.GetByRole(AriaRole.Button, new() { Name = "I have a return code" }).ClickAsync();
        await again.Page.GetByLabel("Your return code").FillAsync(code.ToLowerInvariant().Replace("-", " "));
        await again.Page.GetByRole(AriaRole.Button, new() { Name = "Continue with this code" }).ClickAsync();
        await again.Page.GetByLabel("A complaint or litigation").CheckAsync();
        await again.Page.GetByLabel("Sometime today is fine").CheckAsync();
        await again.Page.Locator("input[name=safety][value=no]").CheckAsync();
        await again.Page.GetByRole(AriaRole.Button, new() { Name = "Find a peer supporter" }).ClickAsync();
        await Expect(again.Page.Locator("#return-route"))
            .ToHaveTextAsync("The supporter you talked with before is on shift and is being asked first.");
        await Chromium.AssertAccessibleAsync(again.Page, "returning caller waiting");

        await Expect(console.Page.Locator("#offer")).ToContainTextAsync("A caller you talked with before is coming back");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Take this chat" }).ClickAsync();
        var returning = console.Page.Locator(".chat-pane");
        Assert.Equal(await again.SafetyCodeAsync(), await ConsolePage.SafetyCodeAsync(returning));
        await Expect(returning).ToHaveAttributeAsync("data-returning", "true");
        await Expect(returning.Locator(".note").First).ToContainTextAsync($"Returning caller: you first talked on {DateTime.UtcNow:yyyy-MM-dd}");
        chromium.AssertNoProblems(again.Page);
    }
}
