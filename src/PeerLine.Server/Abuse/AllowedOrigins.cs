using PeerLine.Server.Hosting;

namespace PeerLine.Server.Abuse;

/// <summary>
/// "Web:AllowedOrigins": web origins (scheme://host[:port]) besides the server's own that may use the hubs and send
/// state-changing requests. The own origin is the request's scheme and host after the proxied-scheme step.
/// </summary>
public sealed class AllowedOrigins
{
    public const string Key = "Web:AllowedOrigins";
    private readonly HashSet<string> _origins = new(StringComparer.OrdinalIgnoreCase);

    public AllowedOrigins(IConfiguration configuration)
    {
        foreach (var entry in ConfigLists.Read(configuration, Key, []))
            _origins.Add(Normalize(entry) ?? throw new InvalidOperationException($"{Key}: an entry is not an http(s) origin."));
    }

    /// <summary>Whether a request from <paramref name="origin"/> (an Origin header's value) may reach this one.</summary>
    public bool Allows(string origin, HttpRequest request)
    {
        var normalized = Normalize(origin);
        return normalized is not null
            && (_origins.Contains(normalized) || string.Equals(normalized, Normalize($"{request.Scheme}://{request.Host}"), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>scheme://host[:port] with the default port left out; null for anything else (such as the "null" origin).</summary>
    private static string? Normalize(string origin) =>
        Uri.TryCreate(origin.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"
            && uri.Query.Length == 0 && uri.UserInfo.Length == 0
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
