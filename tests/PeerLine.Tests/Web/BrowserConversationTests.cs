using System.Collections.Concurrent;
using Microsoft.Playwright;
using NSec.Cryptography;
using PeerLine.Client.E2E;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Web;

/// <summary>The caller page and the supporter console in real Chromium against the real server on a socket.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class BrowserConversationTests(Chromium chromium) : AppScenario(new PeerLineApp(kestrel: true))
{
    private readonly Key _device = Key.Create(KeyAgreementAlgorithm.X25519);

    public override async Task DisposeAsync()
    {
        _device.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task CallerAndSupporterInTwoBrowsers_CompleteASession_TypedTextNeverStored()
    {
        const string fromCaller = "canary-caller-51c2 I froze during the code and keep replaying it";
        const string fromSupporter = "canary-supporter-a09e That sounds heavy. I'm here, take your time.";
        var console = await ConsolePage.OnShiftAsync(chromium, App, "dana");

        var caller = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(App.BaseAddress);
        await caller.AskForSupportAsync();
        await Expect(caller.Page.Locator("#position")).ToHaveTextAsync("You are next in line.");
        await console.WaitForWaitingAsync(1);
        await Expect(console.Page.Locator("#queue .queue-entry")).ToContainTextAsync("An adverse event or error");

        var pane = await console.TakeNextAsync();
        var code = await caller.SafetyCodeAsync();
        Assert.Matches(@"^\d{4} \d{4} \d{4}$", code);
        Assert.Equal(code, await ConsolePage.SafetyCodeAsync(pane));

        await caller.SendAsync(fromCaller);
        await ConsolePage.WaitForReceivedAsync(pane, fromCaller);
        await caller.WaitAllDeliveredAsync(1);
        await ConsolePage.SendAsync(pane, fromSupporter);
        await caller.WaitForReceivedAsync(fromSupporter);
        await Expect(pane.Locator(".msg.out[data-status=delivered]")).ToHaveCountAsync(1);
        Assert.Equal(1, await caller.SessionStorageLengthAsync());

        await ConsolePage.CloseAsync(pane, "Supported");
        await Expect(caller.Page.Locator("#ended-reason")).ToHaveTextAsync("Your supporter ended the chat.");
        Assert.Equal(0, await caller.SessionStorageLengthAsync());
        Assert.Empty(await caller.ReceivedAsync());

        await App.AssertPlaintextNowhereAsync(fromCaller, fromSupporter, "canary-");
        App.Logs.AssertNoErrors();
    }

    [Fact]
    public async Task BrowserCaller_TalksWithDotNetSupporterClient()
    {
        await using var supporter = await App.CertifiedSupporterAsync("eli", _device);
        var atSupporter = new ConcurrentQueue<string>();
        supporter.MessageReceived = m => { atSupporter.Enqueue(m.Text); return Task.CompletedTask; };
        var caller = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(App.BaseAddress);
        await caller.AskForSupportAsync("Burnout or exhaustion", now: false);

        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        var code = await caller.SafetyCodeAsync();
        Assert.Equal(code, await supporter.EstablishedAsync(session).Within());

        await caller.SendAsync("from the browser caller");
        await Waits.UntilAsync(() => atSupporter.Contains("from the browser caller"));
        await supporter.SendAsync(session, "from the .NET supporter").Within();
        await caller.WaitForReceivedAsync("from the .NET supporter");
        await caller.WaitAllDeliveredAsync(1);
    }

    [Fact]
    public async Task DotNetCallerClient_TalksWithBrowserSupporter()
    {
        var console = await ConsolePage.OnShiftAsync(chromium, App, "fay");
        await using var caller = new CallerClient(App.RelayOptions(), await App.PinnedTrustAsync());
        var atCaller = new ConcurrentQueue<string>();
        caller.MessageReceived = m => { atCaller.Enqueue(m.Text); return Task.CompletedTask; };
        await caller.RequestSupportAsync(Topics.PatientDeath, Priorities.Soon).Within();

        var pane = await console.TakeNextAsync();
        Assert.Equal(await caller.Established.Within(), await ConsolePage.SafetyCodeAsync(pane));
        await caller.SendAsync("from the .NET caller").Within();
        await ConsolePage.WaitForReceivedAsync(pane, "from the .NET caller");
        await ConsolePage.SendAsync(pane, "from the browser supporter");
        await Waits.UntilAsync(() => atCaller.Contains("from the browser supporter"));
        await Expect(pane.Locator(".msg.out[data-status=delivered]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task CallersNetworkDropsMidChat_NothingLostNothingDoubled()
    {
        await using var network = new FlakyNetwork(App.Port!.Value);
        await using var supporter = await App.CertifiedSupporterAsync("gus", _device);
        var atSupporter = new ConcurrentQueue<string>();
        supporter.MessageReceived = m => { atSupporter.Enqueue(m.Text); return Task.CompletedTask; };
        var caller = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(network.BaseAddress);
        await caller.AskForSupportAsync();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        await caller.SafetyCodeAsync();
        await caller.SendAsync("before the drop");
        await Waits.UntilAsync(() => atSupporter.Count == 1);

        network.Cut();
        await Expect(caller.Page.Locator("body[data-connection=reconnecting]")).ToHaveCountAsync(1);
        await caller.SendAsync("typed while offline 1");
        await caller.SendAsync("typed while offline 2");
        await supporter.SendAsync(session, "sent while the caller was offline").Within();
        network.Restore();

        await caller.WaitForReceivedAsync("sent while the caller was offline");
        await Waits.UntilAsync(() => atSupporter.Count == 3, because: "the queued messages arrive after the reconnection");
        await caller.WaitAllDeliveredAsync(3);
        await supporter.SendAsync(session, "after the reconnection").Within();
        await caller.WaitForReceivedAsync("after the reconnection");

        Assert.Equal(["before the drop", "typed while offline 1", "typed while offline 2"], atSupporter.ToArray());
        Assert.Equal(["sent while the caller was offline", "after the reconnection"], await caller.ReceivedAsync());
    }

    [Fact]
    public async Task CallerReloadsThePage_SameChannelContinues_ChatShownAgain_KeptEncrypted_ErasedAtTheEnd()
    {
        await using var supporter = await App.CertifiedSupporterAsync("hana", _device);
        var atSupporter = new ConcurrentQueue<string>();
        supporter.MessageReceived = m => { atSupporter.Enqueue(m.Text); return Task.CompletedTask; };
        var caller = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(App.BaseAddress);
        await caller.AskForSupportAsync();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        var before = await caller.SafetyCodeAsync();
        await caller.SendAsync("written before the reload");
        await Waits.UntilAsync(() => atSupporter.Contains("written before the reload"));
        await supporter.SendAsync(session, "read before the reload").Within();
        await caller.WaitForReceivedAsync("read before the reload");
        Assert.Equal(0, await caller.Page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.Empty(await caller.Page.Context.CookiesAsync());
        var kept = await caller.KeptOnTheDeviceAsync("written before the reload", "read before the reload");
        Assert.Equal(1, kept.Records);
        Assert.False(kept.KeyExtractable);
        Assert.False(kept.PlaintextFound);

        await caller.Page.ReloadAsync();
        Assert.Equal(before, await caller.SafetyCodeAsync()); // the same channel, no new handshake
        Assert.Equal(["read before the reload"], await caller.ReceivedAsync());
        Assert.Equal(["written before the reload"], await caller.SentAsync());
        await caller.SendAsync("after the reload");
        await Waits.UntilAsync(() => atSupporter.Contains("after the reload"));
        await supporter.SendAsync(session, "still here").Within();
        await caller.WaitForReceivedAsync("still here");
        Assert.Equal(["written before the reload", "after the reload"], atSupporter.ToArray());

        await caller.EndAsync();
        Assert.Equal(0, await caller.SessionStorageLengthAsync());
        Assert.Equal(0, (await caller.KeptOnTheDeviceAsync()).Records);
        await caller.Page.ReloadAsync();
        await Expect(caller.Page.Locator("#welcome")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SupporterWithTwoChatsSideBySide_UnreadMarkers_TransferToColleague_ReturnToQueue()
    {
        await using var colleague = await App.CertifiedSupporterAsync("lee", _device);
        var atColleague = new ConcurrentQueue<string>();
        colleague.MessageReceived = m => { atColleague.Enqueue(m.Text); return Task.CompletedTask; };
        var console = await ConsolePage.OnShiftAsync(chromium, App, "kim");
        var trust = await App.PinnedTrustAsync();
        await using var first = new CallerClient(App.RelayOptions(), trust);
        await using var second = new CallerClient(App.RelayOptions(), trust);
        await first.RequestSupportAsync(Topics.AdverseEvent, Priorities.Soon).Within();
        await second.RequestSupportAsync(Topics.Burnout, Priorities.Routine).Within();

        var paneOne = await console.TakeNextAsync();
        var paneTwo = await console.TakeNextAsync();
        await first.Established.Within();
        await second.Established.Within();
        await ConsolePage.SafetyCodeAsync(paneTwo);

        await console.Page.Keyboard.PressAsync("Alt+1"); // working in chat 1
        await second.SendAsync("a message for chat two").Within();
        await ConsolePage.WaitForReceivedAsync(paneTwo, "a message for chat two");
        await Expect(paneTwo.Locator(".unread")).ToHaveTextAsync("1 new");
        await Expect(paneOne.Locator(".unread")).ToBeHiddenAsync();
        await console.Page.Keyboard.PressAsync("Alt+2");
        await Expect(paneTwo.Locator(".unread")).ToBeHiddenAsync();

        await paneOne.GetByText("Transfer or close").ClickAsync();
        var transferTo = paneOne.GetByRole(AriaRole.Textbox, new() { Name = "Transfer Chat 1 to" });
        var transfer = paneOne.GetByRole(AriaRole.Button, new() { Name = "Transfer", Exact = true });
        await transfer.ClickAsync();
        await Expect(paneOne.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Enter the login of the colleague who takes over.");
        await transferTo.FillAsync("nobody-by-that-name");
        await transfer.ClickAsync();
        await Expect(paneOne.GetByRole(AriaRole.Alert)).ToContainTextAsync("No colleague with that login can take it");
        await transferTo.FillAsync("lee");
        await transfer.ClickAsync();
        await Expect(paneOne).ToHaveCountAsync(0);
        await Waits.UntilAsync(() => first.Established.IsCompletedSuccessfully && colleague.EstablishedAsync(first.SessionId!).IsCompletedSuccessfully
            && first.Established.Result == colleague.EstablishedAsync(first.SessionId!).Result,
            because: "the caller re-handshakes with the colleague");
        await first.SendAsync("hello to the colleague").Within();
        await Waits.UntilAsync(() => atColleague.Contains("hello to the colleague"));

        await paneTwo.GetByText("Transfer or close").ClickAsync();
        await paneTwo.GetByRole(AriaRole.Button, new() { Name = "Return to queue" }).ClickAsync();
        await Expect(paneTwo).ToHaveCountAsync(0);
        await console.WaitForWaitingAsync(1);
        chromium.AssertNoProblems(console.Page, "401 (Unauthorized)");
    }

    [Fact]
    public async Task SupporterReloadsTheConsole_SameChannelContinues_ChatShownAgain()
    {
        var console = await ConsolePage.OnShiftAsync(chromium, App, "nia");
        var caller = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(App.BaseAddress);
        await caller.AskForSupportAsync();
        var pane = await console.TakeNextAsync();
        var before = await caller.SafetyCodeAsync();
        await caller.SendAsync("before the console reload");
        await ConsolePage.WaitForReceivedAsync(pane, "before the console reload");

        await console.Page.ReloadAsync();
        await Expect(console.Page.Locator("body[data-shift=on]")).ToHaveCountAsync(1); // still signed in, key still certified, still on shift
        Assert.Equal(before, await ConsolePage.SafetyCodeAsync(pane)); // no new handshake
        Assert.Equal(["before the console reload"], await ConsolePage.ReceivedAsync(pane));
        await Expect(caller.Page.Locator("#safety-code")).ToHaveTextAsync(before);

        await ConsolePage.SendAsync(pane, "after the console reload");
        await caller.WaitForReceivedAsync("after the console reload");
        await caller.SendAsync("caller after the reload");
        await ConsolePage.WaitForReceivedAsync(pane, "caller after the reload");
        Assert.Equal(["before the console reload", "caller after the reload"], await ConsolePage.ReceivedAsync(pane));
        await Expect(caller.Page.Locator("#safety-code")).ToHaveTextAsync(before);
        chromium.AssertNoProblems(console.Page, "401 (Unauthorized)");
        chromium.AssertNoProblems(caller.Page);
    }
}
