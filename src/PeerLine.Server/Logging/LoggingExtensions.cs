using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace PeerLine.Server.Logging;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog, compact JSON on stdout, everything through <see cref="PrivacyScrubbingSink"/>. There is no request
    /// logging: framework request and connection logs stay below Warning, so no URL, query string (SignalR's
    /// access_token), address or user agent is ever written. Extra sinks registered as <see cref="ILogEventSink"/>
    /// (tests use one) sit behind the same gate.
    /// </summary>
    public static IServiceCollection AddPrivacyLogging(this IServiceCollection services) =>
        services.AddSerilog((provider, config) =>
        {
            var gated = new LoggerConfiguration()
                .MinimumLevel.Verbose()
                .WriteTo.Console(new CompactJsonFormatter());
            foreach (var sink in provider.GetServices<ILogEventSink>()) gated.WriteTo.Sink(sink);

            config.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .MinimumLevel.Override("Microsoft.EntityFrameworkCore.Database.Command", LogEventLevel.Warning)
                .MinimumLevel.Override("System", LogEventLevel.Warning)
                // It logs every refusal a hub method throws as an Error; HubErrorFilter logs them by code instead.
                .MinimumLevel.Override("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", LogEventLevel.Fatal)
                .WriteTo.Sink(new PrivacyScrubbingSink(gated.CreateLogger()));
        }, preserveStaticLogger: true); // one logger per host, never the process-wide static one (tests run several hosts)
}
