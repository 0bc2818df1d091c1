using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Web;

/// <summary>
/// A lead's console in Chromium under a crisis flood: one banner, replaced rather than stacked, that says how many
/// crisis requests wait once the server has coalesced a window of them. The server runs on a FakeTimeProvider.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class CoalescedCrisisAlertTests(Chromium chromium) : AppScenario(new PeerLineApp(
    QuietTimers.With(new() { ["Escalation:CrisisAlertWindowSeconds"] = "30", ["Abuse:WaitingPerSource"] = "100" }),
    new FakeTimeProvider(DateTimeOffset.UtcNow), kestrel: true))
{
    [Fact]
    public async Task SevenCrisisRequestsInOneWindow_OneBanner_SevenWaiting()
    {
        var console = await ConsolePage.OnShiftAsync(chromium, App, "lee", StaffRoles.Lead);
        var callers = new List<CallerRelayClient>();
        try
        {
            callers.Add(await App.RequestSupportAsync(Topics.PatientDeath, Priorities.Crisis));
            var banner = console.Page.Locator(".crisis-alert");
            await Expect(banner).ToContainTextAsync("Crisis request waiting");
            for (var i = 1; i < 7; i++) callers.Add(await App.RequestSupportAsync(Topics.Burnout, Priorities.Crisis));

            App.Time!.Advance(TimeSpan.FromSeconds(30));

            await Expect(banner).ToContainTextAsync("7 crisis requests waiting");
            await Expect(banner).ToHaveCountAsync(1);
            await Expect(banner).ToHaveAttributeAsync("data-session", callers[^1].SessionId!);
            await banner.GetByRole(AriaRole.Button, new() { Name = "Take the first" }).ClickAsync();
            await Expect(console.Page.Locator($".chat-pane[data-session='{callers[0].SessionId}']")).ToHaveCountAsync(1);
        }
        finally
        {
            foreach (var caller in callers) await caller.DisposeAsync();
        }
    }
}
