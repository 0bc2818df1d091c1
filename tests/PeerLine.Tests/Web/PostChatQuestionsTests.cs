using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using NSec.Cryptography;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Web;

/// <summary>
/// The caller page's two anonymous questions after a chat a supporter answered, in Chromium: sent once as codes,
/// counted per week, and never asked after a request nobody answered.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class PostChatQuestionsTests(Chromium chromium) : AppScenario(new PeerLineApp(kestrel: true))
{
    private readonly Key _device = Key.Create(KeyAgreementAlgorithm.X25519);

    public override async Task DisposeAsync()
    {
        _device.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task SupporterEndsTheChat_CallerAnswersBoth_ThankedCountedOnce_ConnectionLetGo()
    {
        await using var supporter = await App.CertifiedSupporterAsync("ivy", _device);
        var caller = new CallerPage(await chromium.NewPageAsync(390, 844));
        var sockets = new ConcurrentQueue<IWebSocket>();
        caller.Page.WebSocket += (_, socket) => sockets.Enqueue(socket);
        await caller.OpenAsync(App.BaseAddress);
        await caller.AskForSupportAsync();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        await caller.SafetyCodeAsync();

        await supporter.CloseAsync(session, Dispositions.Supported).Within();
        await Expect(caller.Page.Locator("#ended-reason")).ToHaveTextAsync("Your supporter ended the chat.");
        await Expect(caller.Page.GetByRole(AriaRole.Button, new() { Name = "Send answers" })).ToBeDisabledAsync();
        await Expect(caller.Page.Locator("#feedback"))
            .ToContainTextAsync("Anonymous: only weekly counts of each answer are kept, never linked to your chat.");
        Assert.Equal(0, await caller.SessionStorageLengthAsync());
        await Chromium.AssertAccessibleAsync(caller.Page, "caller ended, post-chat questions");
        await caller.Page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Directory, "caller-questions-390x844.png"), FullPage = true });

        await caller.GiveFeedbackAsync(helped: "Somewhat", wouldReturn: "Yes");
        await Expect(caller.Page.Locator("#feedback")).ToBeHiddenAsync();
        await Chromium.AssertAccessibleAsync(caller.Page, "caller thanked");

        Assert.Equal([(FeedbackQuestions.Helped, "somewhat", 1L), (FeedbackQuestions.WouldReturn, "yes", 1L)], await CountsAsync());
        await Waits.UntilAsync(() => sockets.All(s => s.IsClosed), because: "the connection kept for the questions is closed once they are sent");
        chromium.AssertNoProblems(caller.Page);
    }

    [Fact]
    public async Task CallerEndsTheChat_AnswersOneQuestion_OnlyThatIsCounted_ANewChatAsksNothingYet()
    {
        await using var supporter = await App.CertifiedSupporterAsync("ivy", _device);
        var caller = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(App.BaseAddress);
        await caller.AskForSupportAsync();
        await supporter.ClaimNextAsync().Within();
        await caller.SafetyCodeAsync();

        await caller.EndAsync();
        await Expect(caller.Page.Locator("#ended-reason")).ToHaveTextAsync("You ended the chat.");
        await caller.GiveFeedbackAsync(helped: null, wouldReturn: "Maybe");

        Assert.Equal([(FeedbackQuestions.WouldReturn, "maybe", 1L)], await CountsAsync());
        await caller.Page.GetByRole(AriaRole.Button, new() { Name = "Start a new chat" }).ClickAsync();
        await Expect(caller.Page.Locator("#screen")).ToBeVisibleAsync();
        await Expect(caller.Page.Locator("#feedback")).ToBeHiddenAsync();
        await Expect(caller.Page.Locator("#feedback-thanks")).ToBeHiddenAsync();
        chromium.AssertNoProblems(caller.Page);
    }

    [Fact]
    public async Task CallerLeavesTheLineBeforeAnAnswer_NoQuestionsAsked()
    {
        App.Start();
        var caller = await new CallerPage(await chromium.NewPageAsync(390, 844)).OpenAsync(App.BaseAddress);
        await caller.AskForSupportAsync();
        await caller.Page.GetByRole(AriaRole.Button, new() { Name = "Leave the line" }).ClickAsync();

        await Expect(caller.Page.Locator("#ended-reason")).ToHaveTextAsync("You left the line.");
        await Expect(caller.Page.Locator("#feedback")).ToBeHiddenAsync();
        Assert.Empty(await CountsAsync());
        chromium.AssertNoProblems(caller.Page);
    }

    private Task<List<(string Question, string Answer, long Count)>> CountsAsync() =>
        App.DbAsync(async db =>
            (await db.FeedbackCounts.OrderBy(f => f.Question).ToListAsync()).Select(f => (f.Question, f.Answer, f.Count)).ToList());
}
