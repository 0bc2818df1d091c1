using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Relay;

namespace PeerLine.Server.Hubs;

public static class HubExtensions
{
    public static IServiceCollection AddHubs(this IServiceCollection services)
    {
        services.AddOptions<HubLimitsOptions>().BindConfiguration(HubLimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ClientPush>();
        services.AddSingleton<RefusalLog>();
        services.AddSingleton<InvocationRateLimitFilter>();
        services.AddSingleton<HubErrorFilter>();
        services.AddSignalR(o =>
        {
            o.EnableDetailedErrors = false;
            // Error mapping runs outside the rate limiter so a throttled call still gets its code.
            o.AddFilter<HubErrorFilter>();
            o.AddFilter<InvocationRateLimitFilter>();
        });
        services.AddOptions<HubOptions>().Configure<IOptions<RelayOptions>, IOptions<HubLimitsOptions>>((o, relay, limits) =>
        {
            // Base64 in JSON grows ciphertext by 4/3; the rest is the envelope.
            o.MaximumReceiveMessageSize = relay.Value.MaxCiphertextBytes * 4 / 3 + 4096;
            o.ClientTimeoutInterval = TimeSpan.FromSeconds(limits.Value.ClientTimeoutSeconds);
            o.MaximumParallelInvocationsPerClient = 1;
        });
        return services;
    }

    public static IEndpointRouteBuilder MapHubs(this IEndpointRouteBuilder app)
    {
        // WebSockets only: no long-polling or server-sent events requests that would repeat the token in URLs.
        app.MapHub<CallerHub>(HubRoutes.Caller, o => o.Transports = HttpTransportType.WebSockets);
        app.MapHub<StaffHub>(HubRoutes.Staff, o => o.Transports = HttpTransportType.WebSockets);
        return app;
    }
}
