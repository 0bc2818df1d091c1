using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Abuse;

/// <summary>
/// A page on another origin cannot use a staff member's cookie: a foreign Origin gets 403 not-allowed on both hubs
/// (negotiate and WebSocket upgrade) and on state-changing requests. The server's own origin and requests without
/// an Origin (native clients) pass.
/// </summary>
public sealed class ForeignOriginsTests : IAsyncLifetime
{
    private const string Evil = "https://evil.example";
    private readonly PeerLineApp _app = new(new() { ["Web:AllowedOrigins"] = "https://console.example" }, kestrel: true);

    private string Own => _app.BaseAddress.GetLeftPart(UriPartial.Authority);

    public async Task InitializeAsync()
    {
        _app.Start();
        await _app.CreateStaffAsync("ada");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task StaffHubUpgrade_FromAForeignOrigin_RefusedEvenWithTheCookie_OwnOriginAndNoOriginConnect()
    {
        var cookie = await CookieAsync();

        Assert.Equal(HttpStatusCode.Forbidden, await _app.UpgradeAsync(HubRoutes.Staff, o => { o.SetRequestHeader("Cookie", cookie); o.SetRequestHeader("Origin", Evil); }));
        Assert.Equal(HttpStatusCode.Forbidden, await _app.UpgradeAsync(HubRoutes.Staff, o => o.SetRequestHeader("Origin", Evil)));
        Assert.Equal(HttpStatusCode.SwitchingProtocols,
            await _app.UpgradeAsync(HubRoutes.Staff, o => { o.SetRequestHeader("Cookie", cookie); o.SetRequestHeader("Origin", Own); }));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await _app.UpgradeAsync(HubRoutes.Staff, o => o.SetRequestHeader("Cookie", cookie)));
        Assert.Equal(HttpStatusCode.SwitchingProtocols,
            await _app.UpgradeAsync(HubRoutes.Staff, o => { o.SetRequestHeader("Cookie", cookie); o.SetRequestHeader("Origin", "https://console.example"); }));
    }

    [Fact]
    public async Task CallerHub_FromAForeignOrigin_RefusedOnNegotiateAndUpgrade()
    {
        var negotiate = await _app.NegotiateAsync(origin: Evil);
        Assert.Equal(HttpStatusCode.Forbidden, negotiate.StatusCode);
        Assert.Equal(ErrorCodes.NotAllowed, await negotiate.CodeAsync());
        Assert.Equal(HttpStatusCode.Forbidden, await _app.UpgradeAsync(HubRoutes.Caller, o => o.SetRequestHeader("Origin", "null")));

        Assert.Equal(HttpStatusCode.OK, (await _app.NegotiateAsync(origin: Own)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.NegotiateAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await _app.UpgradeAsync(HubRoutes.Caller, o => o.SetRequestHeader("Origin", Own)));
    }

    [Fact]
    public async Task LoginAndLogout_FromAForeignOrigin_Refused_OwnOriginAndNoOriginPass()
    {
        var foreign = await PostAsync("/api/staff/login", Evil, new StaffLogin("ada", PeerLineApp.Password));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(ErrorCodes.NotAllowed, await foreign.CodeAsync());
        Assert.False(foreign.Headers.Contains("Set-Cookie"), "no cookie for a foreign page");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("/api/staff/logout", Evil)).StatusCode);

        Assert.True((await PostAsync("/api/staff/login", Own, new StaffLogin("ada", PeerLineApp.Password))).IsSuccessStatusCode);
        Assert.True((await PostAsync("/api/staff/login", null, new StaffLogin("ada", PeerLineApp.Password))).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync("/api/staff/logout", Own)).StatusCode);
        // Reading stays open to anyone (GET changes nothing).
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/roster", Evil)).StatusCode);
    }

    [Fact]
    public async Task DeviceKeyEnrolment_WithTheCookieFromAForeignOrigin_Refused_FromTheOwnOriginEnrolled()
    {
        var cookie = await CookieAsync();
        var key = new { PublicKey = Convert.ToBase64String(NSec.Cryptography.Key.Create(NSec.Cryptography.KeyAgreementAlgorithm.X25519).PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey)) };

        var foreign = await PostAsync("/api/staff/device-key", Evil, key, cookie);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(ErrorCodes.NotAllowed, await foreign.CodeAsync());
        Assert.Equal(0, await _app.DbAsync(db => db.DeviceKeys.CountAsync()));

        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/api/staff/device-key", Own, key, cookie)).StatusCode);
        Assert.Equal(1, await _app.DbAsync(db => db.DeviceKeys.CountAsync()));
    }

    private async Task<string> CookieAsync()
    {
        var response = await PostAsync("/api/staff/login", null, new StaffLogin("ada", PeerLineApp.Password));
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string? origin, object? body = null, string? cookie = null)
    {
        using var http = _app.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        return await http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string origin)
    {
        using var http = _app.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", origin);
        return await http.SendAsync(request);
    }
}
