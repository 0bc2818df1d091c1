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

    /// <summary>No referrer leaves the site, nothing is framed or sniffed, nothing is cached by intermediaries.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers["Cache-Control"] = "no-store";
        return next(context);
    });
}
