using System.Net.Sockets;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Abuse;

/// <summary>Abuse:MaxConnections is Kestrel's own limit: beyond it a socket is closed before any request is read.</summary>
public sealed class KestrelConnectionCapTests
{
    [Fact]
    public async Task OpenSockets_AtMaxConnections_NextConnectionRefused_UntilOneCloses()
    {
        await using var app = new PeerLineApp(new()
        {
            ["Abuse:MaxConnections"] = "2",
            ["Abuse:MaxUpgradedConnections"] = "2",
            ["Abuse:MaxCallerConnections"] = "2",
        }, kestrel: true);
        app.Start();

        using var first = new TcpClient();
        using var second = new TcpClient();
        await first.ConnectAsync("127.0.0.1", app.Port!.Value).Within();
        await second.ConnectAsync("127.0.0.1", app.Port!.Value).Within();
        // Both idle sockets are held: a request that reaches the server now is one too many.
        Assert.False(await HealthyAsync(app), "a third connection is refused");

        first.Dispose();
        await Waits.UntilAsync(() => HealthyAsync(app), because: "a closed socket gives its place back");
    }

    /// <summary>One request on a fresh connection that is closed afterwards (so it holds no place).</summary>
    private static async Task<bool> HealthyAsync(PeerLineApp app)
    {
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero };
        using var http = new HttpClient(handler) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.ConnectionClose = true;
        try
        {
            return (await http.SendAsync(request)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
