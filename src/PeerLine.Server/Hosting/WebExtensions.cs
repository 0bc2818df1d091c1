using Microsoft.AspNetCore.HttpOverrides;

namespace PeerLine.Server.Hosting;

public static class WebExtensions
{
    public static IServiceCollection AddApiDocuments(this IServiceCollection services) =>
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "PeerLine REST API";
            document.Info.Description = "Staff sign-in and health. Callers and supporters talk over the SignalR hubs (see docs/protocol.md).";
            return Task.CompletedTask;
        }));

    /// <summary>
    /// Open connections get this long to finish on shutdown (default 5 s, "Host:ShutdownTimeout"). Clients resume
    /// on the next process, so a restart should not wait on a slow socket.
    /// </summary>
    public static IServiceCollection AddQuickShutdown(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        services.Configure<HostOptions>(configuration.GetSection("Host"));
        return services;
    }

    /// <summary>The OpenAPI document at /openapi/v1.json.</summary>
    public static IEndpointRouteBuilder MapApiDocuments(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        return app;
    }

    /// <summary>
    /// Behind a TLS-terminating proxy (loopback by default, see ForwardedHeadersOptions) the request scheme comes
    /// from X-Forwarded-Proto, so the staff cookie is marked Secure. X-Forwarded-For is deliberately not read.
    /// </summary>
    public static IApplicationBuilder UseProxiedScheme(this IApplicationBuilder app) =>
        app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedProto });

    /// <summary>
    /// Pages run only the server's own bundles: no inline script or style, no other origin, no framing. The
    /// WebSocket of the hubs is the page's own origin ('self' covers ws/wss there). The caller page solves the request
    /// puzzle in a Web Worker loaded from /assets.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; worker-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>No referrer leaves the site, nothing is framed or sniffed, nothing is cached by intermediaries.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers["Cache-Control"] = "no-store";
        return next(context);
    });
}
