using PeerLine.Protocol.Wire;
using PeerLine.Server.Hubs;

namespace PeerLine.Server.Abuse;

/// <summary>
/// A page on another origin must not use a staff member's cookie: a request with a foreign Origin header is refused
/// with 403 on both hubs (negotiate and WebSocket upgrade) and on every request that can change state (anything
/// but GET, HEAD and OPTIONS). Without an Origin header (native clients, the CLI) a request passes.
/// </summary>
public sealed class OriginCheckMiddleware(RequestDelegate next, AllowedOrigins allowed, RefusalLog refusals)
{
    public const string Method = "Origin check";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || !Guarded(request) || allowed.Allows(origin, request))
        {
            await next(context);
            return;
        }
        refusals.Note(Method, ErrorCodes.NotAllowed);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsJsonAsync(new ErrorBody(ErrorCodes.NotAllowed), context.RequestAborted);
    }

    private static bool Guarded(HttpRequest request) =>
        request.Path.StartsWithSegments(HubRoutes.Caller) || request.Path.StartsWithSegments(HubRoutes.Staff)
        || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
}
