using PeerLine.Server.Audit;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Hosting;

/// <summary>
/// What the admin commands (<c>staff …</c>, <c>audit …</c>) share: a host on the server's configuration and data
/// directory (<c>--data DIR</c>) with storage and the audit trail, quiet on the console.
/// </summary>
public static class AdminHost
{
    public static HostApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string> options)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        if (options.TryGetValue("data", out var data)) builder.Configuration["data"] = data;
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddPeerLineStorage(builder.Configuration);
        builder.Services.AddAuditTrail();
        return builder;
    }
}
