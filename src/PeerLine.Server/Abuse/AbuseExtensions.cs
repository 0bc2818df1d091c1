using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using PeerLine.Server.Hubs;

namespace PeerLine.Server.Abuse;

public static class AbuseExtensions
{
    /// <summary>Per-source limits (memory only) and the server-wide connection caps.</summary>
    public static IServiceCollection AddSourceLimits(this IServiceCollection services)
    {
        services.AddOptions<AbuseOptions>().BindConfiguration(AbuseOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SourceKeys>();
        services.AddSingleton<SourceTracker>();
        services.AddSingleton<SourceRequestFilter>();
        // The caller hub's own options start as a copy of the global ones (filters included); this one is added after.
        services.AddSignalR().AddHubOptions<CallerHub>(o => o.AddFilter<SourceRequestFilter>());
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<AbuseOptions>>((o, abuse) =>
        {
            o.Limits.MaxConcurrentConnections = abuse.Value.MaxConnections;
            o.Limits.MaxConcurrentUpgradedConnections = abuse.Value.MaxUpgradedConnections;
        });
        // Kestrel writes a warning for every connection refused over MaxConnections: under a flood, a flood of lines.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter("Microsoft.AspNetCore.Server.Kestrel.Connections", LogLevel.Error));
        return services;
    }

    /// <summary>Right after the forwarded-headers step: the address becomes a source hash and is dropped; connection caps.</summary>
    public static IApplicationBuilder UseSourceLimits(this IApplicationBuilder app) => app.UseMiddleware<SourceLimitsMiddleware>();

    public static IServiceCollection AddOriginCheck(this IServiceCollection services) => services.AddSingleton<AllowedOrigins>();

    /// <summary>A foreign Origin gets 403 on the hubs and on state-changing requests.</summary>
    public static IApplicationBuilder UseOriginCheck(this IApplicationBuilder app)
    {
        app.ApplicationServices.GetRequiredService<AllowedOrigins>(); // a bad entry stops the start
        return app.UseMiddleware<OriginCheckMiddleware>();
    }
}
