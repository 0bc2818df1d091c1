using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace PeerLine.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, launched once for all browser tests through Playwright (never a downloaded browser).
/// PEERLINE_CHROMIUM overrides the path.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("PEERLINE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Expectations wait as long as actions do: the whole suite runs in parallel on two cores.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
    }

    private readonly ConditionalWeakTable<IPage, ConcurrentQueue<string>> _problems = [];

    /// <summary>
    /// A fresh profile (its own cookies, storage and IndexedDB), like another person's browser. Script errors,
    /// console errors (a CSP or SRI refusal is one), requests to any other origin and credentials in a URL or an
    /// Authorization header (staff use the same-origin cookie only) are recorded as problems.
    /// </summary>
    public async Task<IPage> NewPageAsync(int width, int height)
    {
        var context = await Browser.NewContextAsync(
            new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        var problems = _problems.GetOrCreateValue(page);
        page.PageError += (_, error) => problems.Enqueue("page error: " + error);
        page.Console += (_, message) => { if (message.Type == "error") problems.Enqueue($"console error: {message.Text} at {message.Location}"); };
        page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (url.Host != "127.0.0.1" && url.Scheme != "data")
                problems.Enqueue("request to another origin: " + url.GetLeftPart(UriPartial.Authority));
            if (url.Query.Contains("token", StringComparison.OrdinalIgnoreCase)) problems.Enqueue("a token in a URL: " + url.AbsolutePath);
            if (request.Headers.ContainsKey("authorization")) problems.Enqueue("an Authorization header: " + url.AbsolutePath);
        };
        page.WebSocket += (_, socket) =>
        {
            var url = new Uri(socket.Url);
            if (url.Host != "127.0.0.1") problems.Enqueue("a WebSocket to another origin: " + url.GetLeftPart(UriPartial.Authority));
            if (url.Query.Contains("token", StringComparison.OrdinalIgnoreCase)) problems.Enqueue("a token in a WebSocket URL: " + url.AbsolutePath);
        };
        return page;
    }

    /// <summary>What went wrong in the page so far (see <see cref="NewPageAsync"/>); empty when nothing did.</summary>
    public IReadOnlyList<string> ProblemsOf(IPage page) => _problems.TryGetValue(page, out var problems) ? [.. problems] : [];

    /// <summary>No serious or critical accessibility violation (axe-core) on the page as it is now.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string step)
    {
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{step}: {v.Id} ({v.Impact}) {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

    /// <param name="expected">Substrings of problems that are the page working as designed (a signed-out 401).</param>
    public void AssertNoProblems(IPage page, params string[] expected)
    {
        var problems = ProblemsOf(page).Where(p => !expected.Any(p.Contains)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>
{
    public const string Name = "chromium";
}

/// <summary>Where tests write screenshots (PEERLINE_ARTIFACTS, set by test.sh; else next to the test assembly).</summary>
public static class Artifacts
{
    public static string Directory
    {
        get
        {
            var directory = Environment.GetEnvironmentVariable("PEERLINE_ARTIFACTS") is { Length: > 0 } d
                ? d
                : Path.Combine(AppContext.BaseDirectory, "artifacts");
            System.IO.Directory.CreateDirectory(directory);
            return directory;
        }
    }
}
