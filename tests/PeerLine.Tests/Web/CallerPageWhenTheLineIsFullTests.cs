using Microsoft.Playwright;
using PeerLine.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Web;

/// <summary>A refused request gets a plain answer and the crisis resources, not a spinner.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class CallerPageWhenTheLineIsFullTests(Chromium chromium)
    : AppScenario(new PeerLineApp(new() { ["Queue:MaxWaiting"] = "1" }, kestrel: true))
{
    [Fact]
    public async Task QueueFull_CallerIsToldPlainly_NothingKeptOnTheDevice()
    {
        await using var first = await App.RequestSupportAsync();
        var caller = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(App.BaseAddress);
        await caller.AnswerTheScreenAsync("A patient death");

        await Expect(caller.Page.Locator("#ended-reason")).ToContainTextAsync("The line is very busy right now");
        await Expect(caller.Page.GetByRole(AriaRole.Button, new() { Name = "Help now" })).ToBeVisibleAsync();
        Assert.Equal(0, await caller.SessionStorageLengthAsync());
        chromium.AssertNoProblems(caller.Page);
    }
}
