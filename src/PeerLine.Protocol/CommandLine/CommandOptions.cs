namespace PeerLine.Protocol.CommandLine;

/// <summary>
/// The one option rule of PeerLine's command lines, the <c>peerline</c> tool's and the server's admin commands
/// (<c>staff …</c>, <c>audit …</c>): after the verb words come only <c>--name value</c> pairs.
/// </summary>
public static class CommandOptions
{
    /// <summary>
    /// The options by name (without the dashes; a repeated name keeps its last value), or null when
    /// <paramref name="args"/> are not all <c>--name value</c> pairs: the command then prints its usage.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? Parse(IEnumerable<string> args)
    {
        var list = args.ToList();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i += 2)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= list.Count) return null;
            options[list[i][2..]] = list[i + 1];
        }
        return options;
    }
}
