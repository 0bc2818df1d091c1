using System.Text.Json;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Web;

/// <summary>
/// The browser's protocol code (src/PeerLine.Web/src/protocol) inside Chromium's WebCrypto, held to the same
/// vectors as the .NET code and `node --test`: all 59 cacophony vectors, our v2 envelope transcript (supporter and lead
/// channel), and the old v1 envelopes rejected.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class BrowserVectorTests(Chromium chromium) : AppScenario(new PeerLineApp(kestrel: true))
{
    [Fact]
    public async Task ProtocolCode_InChromium_PassesEveryCacophonyAndEnvelopeVector()
    {
        var page = await chromium.NewPageAsync(800, 600);
        var files = new Dictionary<string, (string Type, string Path)>
        {
            ["index.html"] = ("text/html", ""),
            ["harness.js"] = ("text/javascript", "src/PeerLine.Web/dist-test/harness.js"),
            ["noise-25519-aesgcm-sha256.json"] = ("application/json", "tests/vectors/noise-25519-aesgcm-sha256.json"),
            ["peerline-envelope-v2.json"] = ("application/json", "tests/vectors/peerline-envelope-v2.json"),
            ["peerline-envelope-v1.json"] = ("application/json", "tests/vectors/peerline-envelope-v1.json"),
        };
        // Served on the server's own origin (a secure context for WebCrypto) by the test, not by the server.
        await page.RouteAsync("**/__vectors/*", async route =>
        {
            var name = new Uri(route.Request.Url).Segments[^1];
            var (type, path) = files[name];
            var body = path.Length == 0
                ? "<!doctype html><title>vectors</title><script type=module src=./harness.js></script>"
                : await File.ReadAllTextAsync(RepositoryFiles.PathOf(path));
            await route.FulfillAsync(new() { Status = 200, ContentType = type, Body = body });
        });

        await page.GotoAsync(new Uri(App.BaseAddress, "/__vectors/index.html").ToString());
        var results = await page.EvaluateAsync<JsonElement>("() => window.vectorResults");

        var failed = results.GetProperty("failed").EnumerateArray().Select(e => e.GetString()).ToList();
        var passed = results.GetProperty("passed").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Empty(failed);
        Assert.Equal(62, passed.Count); // 59 cacophony vectors; the v2 envelope transcript and its acceptance; v1 envelopes rejected
        Assert.Contains("Noise_XK_25519_AESGCM_SHA256", passed);
    }
}
