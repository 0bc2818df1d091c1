using System.Net;
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

    /// <summary>The proxies trusted when none are configured: this machine, as ASP.NET's own default.</summary>
    public static readonly IReadOnlyList<string> LoopbackProxies = ["127.0.0.0/8", "::1"];

    /// <summary>
    /// Behind a TLS-terminating proxy listed in "Web:TrustedProxies" (addresses or CIDR networks; loopback by default;
    /// empty trusts none) the scheme comes from X-Forwarded-Proto, so the staff cookie is marked Secure, and the client
    /// address from the last X-Forwarded-For entry (ForwardLimit 1), so per-source limits see the caller, not the
    /// proxy. The address is hashed and dropped right after this step (Abuse/SourceLimitsMiddleware); from anyone
    /// else both headers are ignored.
    /// </summary>
    public static IApplicationBuilder UseProxiedScheme(this IApplicationBuilder app)
    {
        var configuration = app.ApplicationServices.GetRequiredService<IConfiguration>();
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in ConfigLists.Read(configuration, "Web:TrustedProxies", LoopbackProxies))
        {
            if (IPAddress.TryParse(entry, out var address)) options.KnownProxies.Add(address);
            else if (System.Net.IPNetwork.TryParse(entry, out var network)) options.KnownIPNetworks.Add(network);
            else throw new InvalidOperationException("Web:TrustedProxies: an entry is neither an address nor a CIDR network.");
        }
        // With no known proxy at all the middleware would trust every sender, so it is left out.
        return options.KnownProxies.Count + options.KnownIPNetworks.Count == 0 ? app : app.UseForwardedHeaders(options);
    }

    /// <summary>
    /// Pages run only the server's own bundles: no inline script or style, no other origin, no framing. The
    /// WebSocket of the hubs is the page's own origin ('self' covers ws/wss there).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
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
