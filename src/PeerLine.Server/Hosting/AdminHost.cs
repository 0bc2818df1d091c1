using PeerLine.Server.Audit;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Hosting;

/// <summary>
/// What the admin commands (<c>staff …</c>, <c>audit …</c>) share: <c>--name value</c> options, and a host on the
/// server's configuration and data directory (<c>--data DIR</c>) with storage and the audit trail, quiet on the console.
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

    /// <summary>The options after the verb, or null when they are not all <c>--name value</c> pairs.</summary>
    public static Dictionary<string, string>? ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) return null;
            options[args[i][2..]] = args[i + 1];
        }
        return options;
    }
}
