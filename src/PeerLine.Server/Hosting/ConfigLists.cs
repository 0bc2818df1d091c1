namespace PeerLine.Server.Hosting;

public static class ConfigLists
{
    /// <summary>
    /// A list setting given either as entries (<c>Key:0</c>, <c>Key:1</c>, a JSON array) or as one comma-separated
    /// value (handy in environment variables; an empty value is an empty list). Unset: <paramref name="fallback"/>.
    /// </summary>
    public static IReadOnlyList<string> Read(IConfiguration configuration, string key, IReadOnlyList<string> fallback)
    {
        var section = configuration.GetSection(key);
        if (section.Value is { } joined) return joined.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var entries = section.GetChildren().Select(c => c.Value?.Trim()).OfType<string>().Where(v => v.Length > 0).ToList();
        return entries.Count > 0 ? entries : fallback;
    }
}
