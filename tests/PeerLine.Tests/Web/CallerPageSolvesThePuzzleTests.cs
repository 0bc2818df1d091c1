using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PeerLine.Server.Hosting;
using PeerLine.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeerLine.Tests.Web;

/// <summary>
/// At a raised puzzle price the caller page solves the puzzle in its Web Worker, says so in words while it does, and
/// then is in line; the worker is a same-origin asset the page's policy admits.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class CallerPageSolvesThePuzzleTests(Chromium chromium)
    : AppScenario(new PeerLineApp(new() { ["Puzzle:BaseBits"] = "12" }, kestrel: true))
{
    [Fact]
    public async Task RaisedPrice_CallerReadsConnectingSecurely_SolvesInTheWorker_ThenIsInLine()
    {
        App.Start();
        var page = await chromium.NewPageAsync(390, 844);
        var workerScripts = new ConcurrentQueue<IResponse>();
        page.Response += (_, response) => { if (response.Url.Contains("/assets/puzzle-worker-")) workerScripts.Enqueue(response); };
        var workers = new ConcurrentQueue<string>();
        page.Worker += (_, worker) => workers.Enqueue(worker.Url);
        var frames = new ConcurrentQueue<string>();
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) => frames.Enqueue(frame.Text ?? "");
        var caller = await new CallerPage(page).OpenAsync(App.BaseAddress);
        // Every text the notice shows, however briefly: a lucky nonce can solve the puzzle between two polls.
        await page.EvaluateAsync("""
            () => {
              const notice = document.querySelector('#connecting');
              window.connectingShown = [];
              new MutationObserver(() => { if (notice.textContent) window.connectingShown.push(notice.textContent); })
                .observe(notice, { childList: true, subtree: true, characterData: true });
            }
            """);

        await caller.AskForSupportAsync();

        await Expect(page.Locator("#position")).ToHaveTextAsync("You are next in line.");
        await Expect(page.Locator("#connecting")).ToBeEmptyAsync();
        Assert.Equal("polite", await page.Locator("#connecting").GetAttributeAsync("aria-live"));
        var shown = await page.EvaluateAsync<string[]>("() => window.connectingShown");
        Assert.NotEmpty(shown);
        Assert.StartsWith("Connecting you securely…", shown[0]);
        Assert.Contains(frames, f => f.Contains("\"bits\":12")); // the raised price reached the page
        Assert.Equal(1, await App.DbAsync(db => db.Sessions.CountAsync()));

        var script = Assert.Single(workerScripts);
        Assert.Equal(200, script.Status);
        Assert.Equal(WebExtensions.ContentSecurityPolicy, await script.HeaderValueAsync("content-security-policy"));
        Assert.Contains("worker-src 'self'", WebExtensions.ContentSecurityPolicy);
        Assert.Equal(script.Url, Assert.Single(workers));
        chromium.AssertNoProblems(caller.Page); // a CSP refusal of the worker would be a console error
    }
}
