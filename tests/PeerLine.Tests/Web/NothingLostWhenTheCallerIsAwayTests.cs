using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Queue;
using PeerLine.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Web;

/// <summary>
/// The caller's browser goes offline (Chromium's emulation) for 20 s just as a supporter takes the chat: the console
/// says the caller is away, and when the browser is back the chat starts by itself. The server notices the silent
/// socket after its client timeout (set to 20 s here: above the browser's 15 s keep-alive).
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class NothingLostWhenTheCallerIsOfflineTests(Chromium chromium)
    : AppScenario(new PeerLineApp(new() { ["HubLimits:ClientTimeoutSeconds"] = "20" }, kestrel: true))
{
    private static readonly TimeSpan Offline = TimeSpan.FromSeconds(20);
    private readonly NothingLostTexts _texts = new();

    [Fact]
    public async Task CallerOfflineWhileTheChatIsTaken_ConsoleSaysAway_ChatStartsByItselfOnReturn_MessagesArriveOnce()
    {
        var console = await ConsolePage.OnShiftAsync(chromium, App, "ivy");
        var caller = await NothingLost.CallerAskingAsync(chromium, App.BaseAddress);
        await Expect(caller.Page.Locator("#position")).ToHaveTextAsync("You are next in line.");
        await console.WaitForWaitingAsync(1);

        var offline = Stopwatch.StartNew();
        await caller.GoOfflineAsync();
        var pane = await console.TakeNextAsync();
        await ConsolePage.WaitForCallerAsync(pane, present: false, timeout: Offline + TimeSpan.FromSeconds(10)); // after the client timeout
        Assert.NotEqual("true", await pane.GetAttributeAsync("data-secure")); // no handshake without the caller
        await Expect(pane.Locator("textarea")).ToBeDisabledAsync();
        if (Offline - offline.Elapsed is { Ticks: > 0 } rest) await Task.Delay(rest); // the scenario itself: 20 s without network
        await caller.GoOnlineAsync();

        var code = await ConsolePage.SafetyCodeAsync(pane);
        Assert.Equal(code, await caller.SafetyCodeAsync());
        await ConsolePage.WaitForCallerAsync(pane, present: true);
        async Task<string> Pages() => await caller.StateAsync() + "\n" + await console.StateAsync();
        var fromCaller = _texts.Many("caller, after the return", 3);
        var fromSupporter = _texts.Many("supporter, after the return", 3);
        await caller.SendQuicklyAsync(fromCaller);
        await ConsolePage.SendQuicklyAsync(pane, fromSupporter);
        await ShownMessage.UntilDeliveredAsync(caller.WrittenAsync, () => ConsolePage.FromCallerAsync(pane), fromCaller, Pages,
            "the supporter shows the caller's messages");
        await ShownMessage.UntilDeliveredAsync(() => ConsolePage.WrittenAsync(pane), caller.FromSupporterAsync, fromSupporter, Pages,
            "the caller shows the supporter's messages");

        var (callerLast, supporterLast) = await NothingLost.LastWordsAsync(_texts, caller, console, pane);
        var atConsole = await ConsolePage.FromCallerAsync(pane);
        var atCaller = await caller.FromSupporterAsync();
        Assert.Equal([.. fromCaller, callerLast], atConsole.Select(m => m.Text));
        Assert.Equal([.. fromSupporter, supporterLast], atCaller.Select(m => m.Text));
        NothingLost.AssertSameMessageIds(await caller.WrittenAsync(), atConsole);
        NothingLost.AssertSameMessageIds(await ConsolePage.WrittenAsync(pane), atCaller);
        Assert.Equal(code, await caller.SafetyCodeAsync());
        chromium.AssertNoProblems(caller.Page, NothingLost.NetworkDown);
        chromium.AssertNoProblems(console.Page, "401 (Unauthorized)");
    }
}

/// <summary>
/// A waiting caller who leaves (a phone call puts the browser in the background and the connection dies) for longer
/// than the old 180 s keeps their place for <c>Queue:AwayGraceMinutes</c>, as the page says, and is served on return.
/// The server runs on a FakeTimeProvider (the pages keep real time), so minutes pass at once; its periodic jobs are
/// quiet and the test runs the queue sweep itself.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class NothingLostWhileAWaitingCallerIsAwayTests(Chromium chromium)
    : AppScenario(new PeerLineApp(
        QuietTimers.With(new() { ["Queue:AwayGraceMinutes"] = "25" }), new FakeTimeProvider(DateTimeOffset.UtcNow), kestrel: true))
{
    private static readonly Regex KeepsPlace = new(@"\b25 minutes\b");
    private readonly NothingLostTexts _texts = new();

    [Fact]
    public async Task WaitingCallerAwayForFourMinutes_KeepsTheirPlace_PageSaysForHowLong_ThenIsServed()
    {
        var console = await ConsolePage.OnShiftAsync(chromium, App, "kai");
        await using var network = new FlakyNetwork(App.Port!.Value);
        var caller = await NothingLost.CallerAskingAsync(chromium, network.BaseAddress);
        await Expect(caller.Page.Locator("#position")).ToHaveTextAsync("You are next in line.");
        await Expect(caller.Page.Locator("#waiting")).ToContainTextAsync(KeepsPlace); // from queue.awayGraceMinutes
        await console.WaitForWaitingAsync(1);
        var session = (await console.QueueAsync()).Single();
        App.Time!.Advance(TimeSpan.FromSeconds(1));
        await using var behind = await App.RequestSupportAsync(Topics.Burnout, Priorities.Soon);
        await console.WaitForWaitingAsync(2);
        Assert.Equal([session, behind.SessionId!], await console.QueueAsync());

        network.Cut();
        await caller.GoOfflineAsync();
        await Waits.UntilAsync(() => App.DbAsync(db => db.Sessions.AnyAsync(s => s.Id == session && s.CallerAwaySince != null)),
            because: "the server sees the caller's connection gone");
        App.Time.Advance(TimeSpan.FromMinutes(4)); // past the old 180 s, within the 25 minutes
        await App.SweepQueueAsync();
        Assert.Equal(SessionState.Waiting, await App.DbAsync(db => db.Sessions.Where(s => s.Id == session).Select(s => s.State).SingleAsync()));

        network.Restore();
        await caller.GoOnlineAsync();
        await caller.WaitConnectedAsync();
        await Expect(caller.Page.Locator("body[data-state=waiting]")).ToHaveCountAsync(1);
        await Expect(caller.Page.Locator("#position")).ToHaveTextAsync("You are next in line.");
        await Expect(caller.Page.Locator("#waiting")).ToContainTextAsync(KeepsPlace);
        Assert.Equal([session, behind.SessionId!], await console.QueueAsync());

        var pane = await console.TakeNextAsync();
        Assert.Equal(session, await pane.GetAttributeAsync("data-session"));
        var code = await ConsolePage.SafetyCodeAsync(pane);
        Assert.Equal(code, await caller.SafetyCodeAsync());
        var (hello, hi) = await NothingLost.GreetAsync(_texts, caller, console, pane);
        var (callerLast, supporterLast) = await NothingLost.LastWordsAsync(_texts, caller, console, pane);
        var atConsole = await ConsolePage.FromCallerAsync(pane);
        var atCaller = await caller.FromSupporterAsync();
        Assert.Equal([hello, callerLast], atConsole.Select(m => m.Text));
        Assert.Equal([hi, supporterLast], atCaller.Select(m => m.Text));
        NothingLost.AssertSameMessageIds(await caller.WrittenAsync(), atConsole);
        NothingLost.AssertSameMessageIds(await ConsolePage.WrittenAsync(pane), atCaller);
        chromium.AssertNoProblems(caller.Page, NothingLost.NetworkDown);
    }
}
