using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Abuse;

/// <summary>Caller-hub connections are capped per source and server-wide, on a real socket.</summary>
public sealed class ConnectionsPerSourceTests
{
    [Fact]
    public async Task CallerConnections_OverThePerSourceCap_RefusedWith429_AnotherSourceStillConnects()
    {
        await using var app = new PeerLineApp(new() { ["Abuse:ConnectionsPerSource"] = "2" }, kestrel: true);
        app.Start();
        await using var first = app.CallerFrom("198.51.100.10");
        await using var second = app.CallerFrom("198.51.100.10");
        await first.StartAsync().Within();
        await second.StartAsync().Within();

        var negotiate = await app.NegotiateAsync(forwardedFor: "198.51.100.10");
        Assert.Equal(HttpStatusCode.TooManyRequests, negotiate.StatusCode);
        Assert.Equal("source-limit", await negotiate.CodeAsync());
        Assert.NotNull(negotiate.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests,
            await app.UpgradeAsync(HubRoutes.Caller, o => o.SetRequestHeader("X-Forwarded-For", "198.51.100.10")));

        await using var elsewhere = app.CallerFrom("198.51.100.11");
        await elsewhere.StartAsync().Within();
        Assert.Equal(HttpStatusCode.OK, (await app.NegotiateAsync(forwardedFor: "198.51.100.12")).StatusCode);

        // A connection that ends gives its place back.
        await first.StopAsync().Within();
        await Waits.UntilAsync(async () => (await app.NegotiateAsync(forwardedFor: "198.51.100.10")).IsSuccessStatusCode);
        await using var third = app.CallerFrom("198.51.100.10");
        await third.StartAsync().Within();
        Assert.Equal(HubConnectionState.Connected, third.State);
    }

    [Fact]
    public async Task CallerConnections_OverTheServerWideCap_Refused_StaffHubStillReachable()
    {
        await using var app = new PeerLineApp(new() { ["Abuse:MaxCallerConnections"] = "2" }, kestrel: true);
        app.Start();
        await app.CreateStaffAsync("ada");
        await using var first = app.CallerFrom("198.51.100.20");
        await using var second = app.CallerFrom("198.51.100.21");
        await first.StartAsync().Within();
        await second.StartAsync().Within();

        var refused = await app.NegotiateAsync(forwardedFor: "198.51.100.22");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("source-limit", await refused.CodeAsync());

        await using var staff = await app.StaffConnectionAsync("ada");
        Assert.Equal(HubConnectionState.Connected, staff.State);
    }
}
