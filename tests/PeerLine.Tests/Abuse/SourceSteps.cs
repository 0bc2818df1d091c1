using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR.Client;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Abuse;

/// <summary>Callers from chosen sources: the address goes in X-Forwarded-For, which the loopback proxy may set.</summary>
public static class SourceSteps
{
    public static HubConnection CallerFrom(this PeerLineApp app, string? address) =>
        app.RawConnection(HubRoutes.Caller, o => { if (address is not null) o.Headers["X-Forwarded-For"] = address; });

    public static async Task<CallerRelayClient> RequestFromAsync(this PeerLineApp app, string address)
    {
        var caller = new CallerRelayClient(app.RelayOptions(o => o.Headers["X-Forwarded-For"] = address));
        await caller.RequestSupportAsync(Topics.Burnout, Priorities.Routine).Within();
        return caller;
    }

    /// <summary>The code a request from <paramref name="address"/> is refused with (it must be refused).</summary>
    public static async Task<string> RefusedRequestFromAsync(this PeerLineApp app, string address)
    {
        await using var caller = new CallerRelayClient(app.RelayOptions(o => o.Headers["X-Forwarded-For"] = address));
        var refused = await Assert.ThrowsAsync<RelayException>(() => caller.RequestSupportAsync(Topics.Burnout, Priorities.Routine).Within());
        return refused.Message;
    }

    /// <summary>A negotiate request on the caller hub, as a browser would send it first.</summary>
    public static async Task<HttpResponseMessage> NegotiateAsync(this PeerLineApp app, string? forwardedFor = null, string? origin = null)
    {
        using var http = app.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{HubRoutes.Caller}/negotiate?negotiateVersion=1");
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return await http.SendAsync(request);
    }

    /// <summary>A WebSocket upgrade straight to a hub (no negotiate) on the real socket; the status the server answered.</summary>
    public static async Task<HttpStatusCode> UpgradeAsync(this PeerLineApp app, string hub, Action<ClientWebSocketOptions>? configure = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        var uri = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = hub }.Uri;
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None).Within();
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
        var status = socket.HttpStatusCode;
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        return status;
    }

    public static async Task<string?> CodeAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ErrorBody>())?.Code;
}
