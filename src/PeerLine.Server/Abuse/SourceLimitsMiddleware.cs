using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Hubs;

namespace PeerLine.Server.Abuse;

/// <summary>
/// Runs right after the forwarded-headers step: the client address becomes a <see cref="CallerSource"/> and is then
/// removed from the request, so nothing later can log or store it. A caller-hub negotiate or WebSocket upgrade over
/// a connection cap is refused with 429; an accepted connection counts until its request ends.
/// </summary>
public sealed class SourceLimitsMiddleware(
    RequestDelegate next, SourceKeys keys, SourceTracker tracker, RefusalLog refusals, IOptionsMonitor<AbuseOptions> options)
{
    public const string ConnectMethod = "CallerHub connect";
    // The forwarded-headers step keeps the address it replaced in X-Original-For.
    private static readonly string[] AddressHeaders = ["X-Forwarded-For", "X-Original-For", "X-Real-IP", "Forwarded"];

    public async Task InvokeAsync(HttpContext context)
    {
        var source = keys.Identify(context.Connection.RemoteIpAddress);
        context.Features.Set(source);
        Forget(context);

        if (!context.Request.Path.StartsWithSegments(HubRoutes.Caller))
        {
            await next(context);
            return;
        }
        // The WebSocket middleware runs later, inside the hub's endpoint: every caller-hub request but negotiate is
        // treated as a connection (only WebSockets are served there) and counted until it ends.
        if (context.Request.Path.StartsWithSegments(HubRoutes.Caller + "/negotiate"))
        {
            if (tracker.CanConnect(source)) await next(context);
            else await RefuseAsync(context);
            return;
        }
        using var connection = tracker.TryConnect(source);
        if (connection is null) await RefuseAsync(context);
        else await next(context);
    }

    private static void Forget(HttpContext context)
    {
        context.Connection.RemoteIpAddress = null;
        context.Connection.RemotePort = 0;
        foreach (var header in AddressHeaders) context.Request.Headers.Remove(header);
    }

    private async Task RefuseAsync(HttpContext context)
    {
        refusals.Note(ConnectMethod, ErrorCodes.SourceLimit);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = options.CurrentValue.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(new ErrorBody(ErrorCodes.SourceLimit), context.RequestAborted);
    }
}
