using System.Globalization;

namespace PeerLine.Cli.Probe;

public sealed record ProbeSettings(Uri Server, string Login, string StateDirectory, string Message, TimeSpan Timeout)
{
    public const string DefaultMessage = "PeerLine synthetic probe: hello from the caller side.";
    public const string Reply = "PeerLine synthetic probe: reply from the supporter side.";

    public static ProbeSettings? From(IReadOnlyDictionary<string, string> options)
    {
        if (!options.TryGetValue("server", out var server) || !Uri.TryCreate(server, UriKind.Absolute, out var uri)) return null;
        if (!options.TryGetValue("login", out var login) || !options.TryGetValue("state", out var state)) return null;
        var timeout = 30;
        if (options.TryGetValue("timeout", out var t)
            && (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out timeout) || timeout < 1))
            return null;
        return new ProbeSettings(uri, login, state, options.GetValueOrDefault("message") ?? DefaultMessage, TimeSpan.FromSeconds(timeout));
    }
}
