namespace PeerLine.Server.Web;

/// <summary>Where the built pages (src/PeerLine.Web, copied to wwwroot by the build) are served from.</summary>
public sealed class WebClientOptions
{
    public const string Section = "Web";

    /// <summary>The folder holding index.html, staff/index.html, compliance/index.html and assets/. Default: wwwroot next to the server.</summary>
    public string Root { get; set; } = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>Seconds browsers may cache the content-hashed files under /assets (their names change with them).</summary>
    public int AssetCacheSeconds { get; set; } = 365 * 24 * 3600;
}
