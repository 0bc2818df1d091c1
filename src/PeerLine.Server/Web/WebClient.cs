using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace PeerLine.Server.Web;

/// <summary>
/// Serves the caller page at "/", the supporter console at "/staff", the compliance view at "/compliance" and their
/// bundles at "/assets". Nothing else of the folder is reachable, and no page loads anything from another origin (see
/// the policy in UseSecurityHeaders).
/// </summary>
public static class WebClient
{
    private static readonly Dictionary<string, string> Pages = new()
    {
        ["/"] = "index.html",
        ["/staff"] = "staff/index.html", // routing matches "/staff/" too
        ["/compliance"] = "compliance/index.html",
    };

    public static IServiceCollection AddWebClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebClientOptions>().Bind(configuration.GetSection(WebClientOptions.Section))
            .Validate(o => o.AssetCacheSeconds >= 0, "Web:AssetCacheSeconds must not be negative.").ValidateOnStart();
        return services;
    }

    public static WebApplication MapWebClient(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<WebClientOptions>>().Value;
        if (!File.Exists(Path.Combine(options.Root, "index.html")))
        {
            WebClientLog.WebClientMissing(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebClient)));
            return app;
        }
        var files = new PhysicalFileProvider(options.Root);

        foreach (var (path, file) in Pages)
        {
            app.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], context =>
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                return context.Response.SendFileAsync(files.GetFileInfo(file));
            }).ExcludeFromDescription();
        }

        var cacheControl = $"public, max-age={options.AssetCacheSeconds}, immutable";
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(options.Root, "assets")),
            RequestPath = "/assets",
            ServeUnknownFileTypes = false,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = cacheControl,
        });
        return app;
    }
}
