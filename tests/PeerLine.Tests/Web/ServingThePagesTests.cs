using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using PeerLine.Server.Hosting;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Web;

/// <summary>How the server hands out the pages: strict policy headers, integrity on every asset, nothing inline.</summary>
public sealed partial class ServingThePagesTests() : AppScenario
{
    [Theory]
    [InlineData("/", "PeerLine – talk with a physician peer, anonymously")]
    [InlineData("/staff", "PeerLine – supporter console")]
    [InlineData("/staff/", "PeerLine – supporter console")]
    [InlineData("/compliance", "PeerLine – compliance")]
    public async Task Page_ServedWithStrictPolicy_AndIntegrityOnEveryAsset(string path, string title)
    {
        using var http = App.Http();
        var response = await http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<title>{title}</title>", html);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(WebExtensions.ContentSecurityPolicy, csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("style-src 'self';", csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

        // Nothing inline, nothing from elsewhere.
        Assert.DoesNotMatch(@"<script(?![^>]*\ssrc=)", html);
        Assert.DoesNotContain("<style", html);
        Assert.DoesNotContain(" style=", html);
        Assert.DoesNotContain("//", Regex.Replace(html, @"<!--.*?-->|<!doctype html>", "", RegexOptions.Singleline).Replace("http://www.w3.org", ""));

        var assets = AssetTag().Matches(html).ToList();
        Assert.Equal(2, assets.Count(m => m.Groups["tag"].Value is "script" or "link" && m.Groups["integrity"].Success));
        foreach (var asset in assets.Where(m => m.Groups["integrity"].Success))
        {
            var bytes = await http.GetByteArrayAsync(asset.Groups["url"].Value);
            Assert.Equal("sha384-" + Convert.ToBase64String(SHA384.HashData(bytes)), asset.Groups["integrity"].Value);
        }
    }

    [Fact]
    public async Task Assets_CachedForLong_AndOnlyUnderAssets()
    {
        using var http = App.Http();
        var html = await http.GetStringAsync("/");
        var script = AssetTag().Matches(html).First(m => m.Groups["tag"].Value == "script").Groups["url"].Value;

        var response = await http.GetAsync(script);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/index.html")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/staff/index.html")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/assets/nothing-here.js")).StatusCode);
    }

    [GeneratedRegex("<(?<tag>script|link)[^>]*?(?:src|href)=\"(?<url>/assets/[^\"]+)\"(?:[^>]*?integrity=\"(?<integrity>[^\"]+)\")?")]
    private static partial Regex AssetTag();
}
