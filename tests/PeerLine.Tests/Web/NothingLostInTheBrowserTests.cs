using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Web;

/// <summary>
/// Issue 10 in Chromium: every message a person writes is shown exactly once, in order, to the person it was for —
/// across a reload of either page, a transfer, a return to the queue and a claim by someone else, and a lead joining
/// — with the same safety code wherever the supporter stays the same, and never "Delivered" on what the other side
/// did not keep. "In flight" means written on one page and not yet shown on the other when the disturbance comes.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class NothingLostInTheBrowserTests(Chromium chromium) : AppScenario(new PeerLineApp(kestrel: true))
{
    private readonly NothingLostTexts _texts = new();

    [Fact]
    public async Task ConsoleReloads_WhileFiveCallerMessagesAreInFlight_EachShownOnceInOrder_SameSafetyCode()
    {
        var console = await ConsolePage.OnShiftAsync(chromium, App, "ada");
        var caller = await NothingLost.CallerAskingAsync(chromium, App.BaseAddress);
        var pane = await console.TakeNextAsync();
        var code = await caller.SafetyCodeAsync();
        Assert.Equal(code, await ConsolePage.SafetyCodeAsync(pane));
        var (hello, hi) = await NothingLost.GreetAsync(_texts, caller, console, pane);

        var inFlight = _texts.Many("caller, in flight", 5);
        await caller.SendQuicklyAsync(inFlight);
        await console.ReloadAsync();

        Assert.Equal(code, await ConsolePage.SafetyCodeAsync(pane)); // the console kept its channel: no new handshake
        // From here on the pane shows what the console kept before the reload, and only adds to it.
        await ShownMessage.UntilDeliveredAsync(caller.WrittenAsync, () => ConsolePage.FromCallerAsync(pane), inFlight,
            async () => await caller.StateAsync() + "\n" + await console.StateAsync(), "the reloaded console shows what was on its way");
        await NothingLost.ShownExactlyAsync(() => ConsolePage.FromCallerAsync(pane), [hello, .. inFlight], console.StateAsync,
            "the reloaded console shows each of the caller's messages once, in order");
        await ShownMessage.UntilStatusAsync(caller.WrittenAsync, [hello], "delivered", caller.StateAsync);
        // The console's own side of the transcript too.
        await ShownMessage.UntilStatusAsync(() => ConsolePage.WrittenAsync(pane), [hi], "delivered", console.StateAsync);

        var (callerLast, supporterLast) = await NothingLost.LastWordsAsync(_texts, caller, console, pane);
        var atConsole = await ConsolePage.FromCallerAsync(pane);
        var atCaller = await caller.FromSupporterAsync();
        Assert.Equal([hello, .. inFlight, callerLast], atConsole.Select(m => m.Text));
        Assert.Equal([hi, supporterLast], atCaller.Select(m => m.Text));
        NothingLost.AssertSameMessageIds(await caller.WrittenAsync(), atConsole);
        NothingLost.AssertSameMessageIds(await ConsolePage.WrittenAsync(pane), atCaller);
        Assert.Equal(code, await caller.SafetyCodeAsync());
        Assert.Equal(code, await ConsolePage.SafetyCodeAsync(pane));
        chromium.AssertNoProblems(console.Page, "401 (Unauthorized)");
        chromium.AssertNoProblems(caller.Page);
    }

    [Fact]
    public async Task CallerPageReloads_WhileFiveSupporterMessagesAreInFlight_EachShownOnceInOrder_SameSafetyCode()
    {
        var console = await ConsolePage.OnShiftAsync(chromium, App, "ben");
        var caller = await NothingLost.CallerAskingAsync(chromium, App.BaseAddress);
        var pane = await console.TakeNextAsync();
        var code = await caller.SafetyCodeAsync();
        var (hello, hi) = await NothingLost.GreetAsync(_texts, caller, console, pane);

        var inFlight = _texts.Many("supporter, in flight", 5);
        await ConsolePage.SendQuicklyAsync(pane, inFlight);
        await caller.ReloadAsync();

        Assert.Equal(code, await caller.SafetyCodeAsync()); // the caller page kept its channel: no new handshake
        // From here on the page shows what it kept before the reload, and only adds to it.
        await ShownMessage.UntilDeliveredAsync(() => ConsolePage.WrittenAsync(pane), caller.FromSupporterAsync, inFlight,
            async () => await caller.StateAsync() + "\n" + await console.StateAsync(), "the reloaded caller page shows what was on its way");
        await NothingLost.ShownExactlyAsync(caller.FromSupporterAsync, [hi, .. inFlight], caller.StateAsync,
            "the reloaded caller page shows each of the supporter's messages once, in order");
        await ShownMessage.UntilStatusAsync(() => ConsolePage.WrittenAsync(pane), [hi], "delivered", console.StateAsync);
        await ShownMessage.UntilStatusAsync(caller.WrittenAsync, [hello], "delivered", caller.StateAsync); // its own side of the transcript too

        var (callerLast, supporterLast) = await NothingLost.LastWordsAsync(_texts, caller, console, pane);
        var atCaller = await caller.FromSupporterAsync();
        var atConsole = await ConsolePage.FromCallerAsync(pane);
        Assert.Equal([hi, .. inFlight, supporterLast], atCaller.Select(m => m.Text));
        Assert.Equal([hello, callerLast], atConsole.Select(m => m.Text));
        NothingLost.AssertSameMessageIds(await ConsolePage.WrittenAsync(pane), atCaller);
        NothingLost.AssertSameMessageIds(await caller.WrittenAsync(), atConsole);
        Assert.Equal(code, await ConsolePage.SafetyCodeAsync(pane));
        Assert.Equal(code, await caller.SafetyCodeAsync());
        chromium.AssertNoProblems(caller.Page);
        chromium.AssertNoProblems(console.Page, "401 (Unauthorized)");
    }

    [Fact]
    public async Task ConsoleLosesWhatItKept_WhileFiveCallerMessagesWait_NewHandshake_EachShownOnce_NeverFalselyDelivered()
    {
        var console = await ConsolePage.OnShiftAsync(chromium, App, "ida");
        var caller = await NothingLost.CallerAskingAsync(chromium, App.BaseAddress);
        var pane = await console.TakeNextAsync();
        var before = await caller.SafetyCodeAsync();
        var (_, hi) = await NothingLost.GreetAsync(_texts, caller, console, pane);

        // Stored on the server while the console is closed, then the console's browser loses what it kept (its channel).
        await console.LeaveAsync(App.BaseAddress);
        var inFlight = _texts.Many("caller, while the console is away", 5);
        await caller.SendQuicklyAsync(inFlight);
        await ShownMessage.UntilStatusAsync(caller.WrittenAsync, inFlight, "sent", caller.StateAsync);
        Assert.True(await console.ForgetKeptChatsAsync() > 0, "the console had kept the chat on the device");
        await console.ComeBackAsync(App.BaseAddress);

        // The console cannot open them: it asks for a new handshake, and the caller seals them again for the new channel.
        var code = await ConsolePage.SafetyCodeAsync(pane);
        Assert.NotEqual(before, code);
        await Expect(caller.Page.Locator("#safety-code")).ToHaveTextAsync(code);
        await ShownMessage.UntilDeliveredAsync(caller.WrittenAsync, () => ConsolePage.FromCallerAsync(pane), inFlight,
            async () => await caller.StateAsync() + "\n" + await console.StateAsync(),
            "the console shows what it could not open before the new handshake");
        await NothingLost.ShownExactlyAsync(() => ConsolePage.FromCallerAsync(pane), inFlight, console.StateAsync, "each message once, in order");

        var (callerLast, supporterLast) = await NothingLost.LastWordsAsync(_texts, caller, console, pane);
        var atConsole = await ConsolePage.FromCallerAsync(pane);
        Assert.Equal([.. inFlight, callerLast], atConsole.Select(m => m.Text)); // the greeting was kept, delivered, then lost with the device's state
        Assert.Equal([hi, supporterLast], (await caller.FromSupporterAsync()).Select(m => m.Text));
        NothingLost.AssertSameMessageIds(await caller.WrittenAsync(), atConsole);
        Assert.Equal(code, await caller.SafetyCodeAsync());
        chromium.AssertNoProblems(console.Page, "401 (Unauthorized)", "/favicon.ico"); // asked for by the plain page it left to
        chromium.AssertNoProblems(caller.Page);
    }

    [Fact]
    public async Task CallerEndsTheChat_WhileTheConsoleIsClosed_TheCallerIsToldPlainlyWhatWasNotDelivered()
    {
        var console = await ConsolePage.OnShiftAsync(chromium, App, "jan");
        var caller = await NothingLost.CallerAskingAsync(chromium, App.BaseAddress);
        var pane = await console.TakeNextAsync();
        await caller.SafetyCodeAsync();
        await NothingLost.GreetAsync(_texts, caller, console, pane);

        await console.LeaveAsync(App.BaseAddress);
        var unread = _texts.Many("caller, never read", 3);
        await caller.SendQuicklyAsync(unread);
        await ShownMessage.UntilStatusAsync(caller.WrittenAsync, unread, "sent", caller.StateAsync); // on the server, read by nobody
        await caller.EndAsync();

        await Expect(caller.Page.Locator("#ended-reason")).ToContainTextAsync(new Regex(@"\b3 messages were not delivered\b"));
        chromium.AssertNoProblems(caller.Page);
    }

    [Fact]
    public async Task TransferToASecondSupporter_WhileFiveCallerMessagesAreInFlight_TheNewSupporterShowsEachOnceInOrder()
    {
        await using var network = new FlakyNetwork(App.Port!.Value);
        var chat = await WriteWhileCutOffAsync(network, "cal", "dee");
        await ConsolePage.TransferAsync(chat.Pane, "dee");
        var taken = await chat.Second.WaitForChatAsync();
        await ConsolePage.WaitForCallerAsync(taken, present: false);
        Assert.All((await chat.Caller.WrittenAsync()).Where(m => chat.InFlight.Contains(m.Text)), m => Assert.Equal("sending", m.Status));

        network.Restore();
        await ConsolePage.WaitForCallerAsync(taken, present: true);
        await TheNextSupporterShowsEachOnceAsync(chat, taken, "the new supporter shows what was written for the first");
    }

    [Fact]
    public async Task ReturnToTheQueue_ThenAnotherSupporterClaims_MessagesInFlightAreShownOnceToThem()
    {
        await using var network = new FlakyNetwork(App.Port!.Value);
        var chat = await WriteWhileCutOffAsync(network, "eva", "fin");
        await ConsolePage.ReturnToQueueAsync(chat.Pane);
        await chat.Second.WaitForWaitingAsync(1);

        // Back online while waiting again: the messages wait for the next supporter, none is "Delivered".
        network.Restore();
        var caller = chat.Caller;
        await Expect(caller.Page.Locator("body[data-state=waiting]")).ToHaveCountAsync(1);
        await Expect(caller.Page.Locator("#position")).ToHaveTextAsync("You are next in line.");
        await caller.WaitConnectedAsync();
        Assert.All((await caller.WrittenAsync()).Where(m => chat.InFlight.Contains(m.Text)),
            m => Assert.True(m.Status is "sending" or "sent", $"{m.Text} is {m.Status} while nobody holds the chat"));

        var taken = await chat.Second.TakeNextAsync();
        await TheNextSupporterShowsEachOnceAsync(chat, taken, "the supporter who claimed shows what was written before");
    }

    /// <summary>
    /// Two supporters on shift, the first in a chat; then the caller's connection is cut and five messages are written:
    /// sealed for the first supporter, not yet sent, when the chat changes hands.
    /// </summary>
    private async Task<Handover> WriteWhileCutOffAsync(FlakyNetwork network, string firstLogin, string secondLogin)
    {
        var first = await ConsolePage.OnShiftAsync(chromium, App, firstLogin);
        var second = await ConsolePage.OnShiftAsync(chromium, App, secondLogin);
        var caller = await NothingLost.CallerAskingAsync(chromium, network.BaseAddress);
        var pane = await first.TakeNextAsync();
        var before = await caller.SafetyCodeAsync();
        var (hello, hi) = await NothingLost.GreetAsync(_texts, caller, first, pane);

        network.Cut();
        await caller.WaitReconnectingAsync();
        var inFlight = _texts.Many("caller, in flight", 5);
        await caller.SendQuicklyAsync(inFlight);
        return new Handover(caller, second, pane, before, hello, hi, inFlight, await ConsolePage.FromCallerAsync(pane));
    }

    /// <summary>The second supporter's chat: a new safety code on both sides, the five shown once, in order, and nothing else lost.</summary>
    private async Task TheNextSupporterShowsEachOnceAsync(Handover chat, ILocator taken, string because)
    {
        var (caller, second) = (chat.Caller, chat.Second);
        var code = await ConsolePage.SafetyCodeAsync(taken);
        Assert.NotEqual(chat.SafetyCodeBefore, code);
        await Expect(caller.Page.Locator("#safety-code")).ToHaveTextAsync(code);
        await ShownMessage.UntilDeliveredAsync(caller.WrittenAsync, () => ConsolePage.FromCallerAsync(taken), chat.InFlight,
            async () => await caller.StateAsync() + "\n" + await second.StateAsync(), because);
        await NothingLost.ShownExactlyAsync(() => ConsolePage.FromCallerAsync(taken), chat.InFlight, second.StateAsync,
            "each message once, in order");

        var (callerLast, supporterLast) = await NothingLost.LastWordsAsync(_texts, caller, second, taken);
        var atSecond = await ConsolePage.FromCallerAsync(taken);
        Assert.Equal([chat.Hello], chat.AtFirst.Select(m => m.Text));
        Assert.Equal([.. chat.InFlight, callerLast], atSecond.Select(m => m.Text));
        Assert.Equal([chat.Hi, supporterLast], (await caller.FromSupporterAsync()).Select(m => m.Text));
        NothingLost.AssertSameMessageIds(await caller.WrittenAsync(), atSecond);
        NothingLost.AssertDeliveredOnlyWhatWasShown(await caller.WrittenAsync(), chat.AtFirst, atSecond);
        Assert.Equal(code, await caller.SafetyCodeAsync());
        chromium.AssertNoProblems(caller.Page, NothingLost.NetworkDown);
        chromium.AssertNoProblems(second.Page, "401 (Unauthorized)");
    }

    private sealed record Handover(CallerPage Caller, ConsolePage Second, ILocator Pane, string SafetyCodeBefore, string Hello, string Hi,
        string[] InFlight, IReadOnlyList<ShownMessage> AtFirst);

    [Fact]
    public async Task LeadJoins_WhileMessagesAreInFlightBothWays_EachShownOnce_SupporterSafetyCodeUnchanged()
    {
        var console = await ConsolePage.OnShiftAsync(chromium, App, "gil");
        var lead = await ConsolePage.OnShiftAsync(chromium, App, "hal", StaffRoles.Lead);
        var caller = await NothingLost.CallerAskingAsync(chromium, App.BaseAddress);
        var pane = await console.TakeNextAsync();
        var code = await caller.SafetyCodeAsync();
        var (hello, hi) = await NothingLost.GreetAsync(_texts, caller, console, pane);

        await ConsolePage.AskALeadToJoinAsync(pane, "hal");
        await caller.WaitAskedAboutALeadAsync();
        var supporterInFlight = _texts.Many("supporter, in flight", 5);
        var callerInFlight = _texts.Many("caller, before the lead", 5);
        await ConsolePage.SendQuicklyAsync(pane, supporterInFlight);
        await caller.SendQuicklyAsync(callerInFlight);
        await caller.LetTheLeadJoinAsync();

        var leadPane = await lead.WaitForChatAsync();
        await Expect(leadPane.Locator("h3")).ToContainTextAsync("(as lead)");
        var leadCode = await ConsolePage.SafetyCodeAsync(leadPane);
        await Expect(caller.Page.Locator("#messages")).ToContainTextAsync($"Their safety code is {leadCode}");
        async Task<string> Pages() => await caller.StateAsync() + "\n" + await console.StateAsync() + "\n" + await lead.StateAsync();
        await ShownMessage.UntilDeliveredAsync(caller.WrittenAsync, () => ConsolePage.FromCallerAsync(pane), callerInFlight, Pages,
            "the supporter shows what the caller wrote as the lead joined");
        await ShownMessage.UntilDeliveredAsync(() => ConsolePage.WrittenAsync(pane), caller.FromSupporterAsync, supporterInFlight, Pages,
            "the caller shows what the supporter wrote as the lead joined");

        var callerAfter = _texts.Many("caller, to both", 3);
        await caller.SendQuicklyAsync(callerAfter);
        await NothingLost.ShownExactlyAsync(() => ConsolePage.FromCallerAsync(leadPane), callerAfter, lead.StateAsync,
            "the lead sees what the caller wrote after letting them in");
        await ShownMessage.UntilDeliveredAsync(caller.WrittenAsync, () => ConsolePage.FromCallerAsync(pane), callerAfter, Pages,
            "the supporter too");
        var leadWrites = _texts.Many("lead", 2);
        await ConsolePage.SendQuicklyAsync(leadPane, leadWrites);
        await ShownMessage.UntilDeliveredAsync(() => ConsolePage.WrittenAsync(leadPane), caller.FromLeadAsync, leadWrites, Pages,
            "the caller shows the lead's messages");

        var (callerLast, supporterLast) = await NothingLost.LastWordsAsync(_texts, caller, console, pane);
        await NothingLost.ShownExactlyAsync(() => ConsolePage.FromCallerAsync(leadPane), [.. callerAfter, callerLast], lead.StateAsync,
            "the lead sees the caller's last words");
        var atSupporter = await ConsolePage.FromCallerAsync(pane);
        var atLead = await ConsolePage.FromCallerAsync(leadPane);
        var atCaller = await caller.FromSupporterAsync();
        var fromLead = await caller.FromLeadAsync();
        Assert.Equal([hello, .. callerInFlight, .. callerAfter, callerLast], atSupporter.Select(m => m.Text));
        Assert.Equal([.. callerAfter, callerLast], atLead.Select(m => m.Text)); // nothing written before the caller said yes
        Assert.Equal([hi, .. supporterInFlight, supporterLast], atCaller.Select(m => m.Text));
        Assert.Equal(leadWrites, fromLead.Select(m => m.Text));
        NothingLost.AssertSameMessageIds(await caller.WrittenAsync(), atSupporter);
        NothingLost.AssertSameMessageIds(await ConsolePage.WrittenAsync(pane), atCaller);
        NothingLost.AssertSameMessageIds(await ConsolePage.WrittenAsync(leadPane), fromLead);
        Assert.Equal(code, await caller.SafetyCodeAsync()); // the supporter's channel was not touched
        Assert.Equal(code, await ConsolePage.SafetyCodeAsync(pane));
        chromium.AssertNoProblems(caller.Page);
    }
}

/// <summary>What the scenarios share: opening a caller, greeting, last words, and the exact-once assertions.</summary>
internal static class NothingLost
{
    /// <summary>What a page logs when its network is gone (failed requests and sockets): expected, not a problem.</summary>
    public static readonly string[] NetworkDown = ["net::ERR_", "WebSocket connection to"];

    /// <summary>A caller on a phone-sized fresh profile who has asked for support.</summary>
    public static async Task<CallerPage> CallerAskingAsync(Chromium chromium, Uri server)
    {
        var caller = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(server);
        await caller.AskForSupportAsync();
        return caller;
    }

    /// <summary>One message each way, shown and delivered, before anything happens to the pages.</summary>
    public static async Task<(string Hello, string Hi)> GreetAsync(NothingLostTexts texts, CallerPage caller, ConsolePage console, ILocator pane)
    {
        var (hello, hi) = (texts.One("caller, hello"), texts.One("supporter, hi"));
        await caller.SendAsync(hello);
        await ConsolePage.SendAsync(pane, hi);
        async Task<string> Pages() => await caller.StateAsync() + "\n" + await console.StateAsync();
        await ShownMessage.UntilDeliveredAsync(caller.WrittenAsync, () => ConsolePage.FromCallerAsync(pane), [hello], Pages,
            "the greeting reaches the supporter");
        await ShownMessage.UntilDeliveredAsync(() => ConsolePage.WrittenAsync(pane), caller.FromSupporterAsync, [hi], Pages,
            "the greeting reaches the caller");
        return (hello, hi);
    }

    /// <summary>
    /// Both sides write once more and see it: each lane is in order, so a late duplicate of anything written before
    /// would be shown before these, and the final lists catch it.
    /// </summary>
    public static async Task<(string FromCaller, string FromSupporter)> LastWordsAsync(
        NothingLostTexts texts, CallerPage caller, ConsolePage console, ILocator pane)
    {
        var (fromCaller, fromSupporter) = (texts.One("caller, last words"), texts.One("supporter, last words"));
        await caller.SendAsync(fromCaller);
        await ConsolePage.SendAsync(pane, fromSupporter);
        async Task<string> Pages() => await caller.StateAsync() + "\n" + await console.StateAsync();
        await ShownMessage.UntilDeliveredAsync(caller.WrittenAsync, () => ConsolePage.FromCallerAsync(pane), [fromCaller], Pages,
            "the caller's last words arrive");
        await ShownMessage.UntilDeliveredAsync(() => ConsolePage.WrittenAsync(pane), caller.FromSupporterAsync, [fromSupporter], Pages,
            "the supporter's last words arrive");
        return (fromCaller, fromSupporter);
    }

    /// <summary>Waits until the expected texts are shown, then asserts the page shows exactly them: each once, in order.</summary>
    public static async Task<IReadOnlyList<ShownMessage>> ShownExactlyAsync(
        Func<Task<IReadOnlyList<ShownMessage>>> read, IReadOnlyList<string> expected, Func<Task<string>> pageState, string because)
    {
        var shown = await ShownMessage.UntilShownAsync(read, expected, pageState, because);
        Assert.Equal(expected, shown.Select(m => m.Text));
        return shown;
    }

    /// <summary>Every shown message carries its end-to-end id (hex, 16 bytes), ids are unique, and each is the writer's.</summary>
    public static void AssertSameMessageIds(IReadOnlyList<ShownMessage> written, IReadOnlyList<ShownMessage> shown)
    {
        Assert.All(shown, m => Assert.Matches(new Regex("^[0-9a-f]{32}$", RegexOptions.IgnoreCase), m.Id ?? ""));
        Assert.Equal(shown.Count, shown.Select(m => m.Id!.ToLowerInvariant()).Distinct().Count());
        foreach (var m in shown)
            Assert.Equal(m.Id!.ToLowerInvariant(), written.Single(w => w.Text == m.Text).Id?.ToLowerInvariant());
    }

    /// <summary>Nothing the writer's page calls delivered is missing from what the recipients showed.</summary>
    public static void AssertDeliveredOnlyWhatWasShown(IReadOnlyList<ShownMessage> written, params IReadOnlyList<ShownMessage>[] shownBy)
    {
        var kept = shownBy.SelectMany(s => s).Select(m => m.Text).ToHashSet();
        Assert.All(written.Where(m => m.Status == "delivered"), m => Assert.Contains(m.Text, kept));
    }
}

/// <summary>Message texts unique to one test (a random tag), so that counting them on a page means something.</summary>
internal sealed class NothingLostTexts
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..6];

    public string One(string what) => $"{what} ({_tag})";

    public string[] Many(string what, int count) => [.. Enumerable.Range(1, count).Select(i => $"{what} {i} of {count} ({_tag})")];
}
