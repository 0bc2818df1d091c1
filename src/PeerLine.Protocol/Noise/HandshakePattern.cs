namespace PeerLine.Protocol.Noise;

/// <summary>The message tokens of a Noise handshake.</summary>
public enum Token { E, S, EE, ES, SE, SS, Psk }

/// <summary>
/// A handshake pattern from the Noise spec (§7): pre-messages and message patterns, with psk modifiers applied.
/// Covers the one-way, fundamental interactive and deferred patterns.
/// </summary>
public sealed record HandshakePattern(string Name, bool InitiatorStaticKnown, bool ResponderStaticKnown, IReadOnlyList<IReadOnlyList<Token>> Messages)
{
    public bool OneWay => Messages.Count == 1;

    public bool UsesPsk => Messages.Any(m => m.Contains(Token.Psk));

    // Patterns written as in the spec: pre-messages before "...", one message a line, initiator's first.
    private static readonly Dictionary<string, string> Catalogue = new(StringComparer.Ordinal)
    {
        ["N"] = "<- s | ... | -> e, es",
        ["K"] = "-> s | <- s | ... | -> e, es, ss",
        ["X"] = "<- s | ... | -> e, es, s, ss",
        ["NN"] = "-> e | <- e, ee",
        ["NK"] = "<- s | ... | -> e, es | <- e, ee",
        ["NX"] = "-> e | <- e, ee, s, es",
        ["KN"] = "-> s | ... | -> e | <- e, ee, se",
        ["KK"] = "-> s | <- s | ... | -> e, es, ss | <- e, ee, se",
        ["KX"] = "-> s | ... | -> e | <- e, ee, se, s, es",
        ["XN"] = "-> e | <- e, ee | -> s, se",
        ["XK"] = "<- s | ... | -> e, es | <- e, ee | -> s, se",
        ["XX"] = "-> e | <- e, ee, s, es | -> s, se",
        ["IN"] = "-> e, s | <- e, ee, se",
        ["IK"] = "<- s | ... | -> e, es, s, ss | <- e, ee, se",
        ["IX"] = "-> e, s | <- e, ee, se, s, es",
        ["NK1"] = "<- s | ... | -> e | <- e, ee, es",
        ["NX1"] = "-> e | <- e, ee, s | -> es",
        ["X1N"] = "-> e | <- e, ee | -> s | <- se",
        ["X1K"] = "<- s | ... | -> e, es | <- e, ee | -> s | <- se",
        ["XK1"] = "<- s | ... | -> e | <- e, ee, es | -> s, se",
        ["X1K1"] = "<- s | ... | -> e | <- e, ee, es | -> s | <- se",
        ["X1X"] = "-> e | <- e, ee, s, es | -> s | <- se",
        ["XX1"] = "-> e | <- e, ee, s | -> es, s, se",
        ["X1X1"] = "-> e | <- e, ee, s | -> es, s | <- se",
        ["K1N"] = "-> s | ... | -> e | <- e, ee | -> se",
        ["K1K"] = "-> s | <- s | ... | -> e, es | <- e, ee | -> se",
        ["KK1"] = "-> s | <- s | ... | -> e | <- e, ee, se, es",
        ["K1K1"] = "-> s | <- s | ... | -> e | <- e, ee, es | -> se",
        ["K1X"] = "-> s | ... | -> e | <- e, ee, s, es | -> se",
        ["KX1"] = "-> s | ... | -> e | <- e, ee, se, s | -> es",
        ["K1X1"] = "-> s | ... | -> e | <- e, ee, s | -> se, es",
        ["I1N"] = "-> e, s | <- e, ee | -> se",
        ["I1K"] = "<- s | ... | -> e, es, s | <- e, ee | -> se",
        ["IK1"] = "<- s | ... | -> e, s | <- e, ee, se, es",
        ["I1K1"] = "<- s | ... | -> e, s | <- e, ee, es | -> se",
        ["I1X"] = "-> e, s | <- e, ee, s, es | -> se",
        ["IX1"] = "-> e, s | <- e, ee, se, s | -> es",
        ["I1X1"] = "-> e, s | <- e, ee, s | -> se, es",
    };

    /// <summary>Parses the pattern part of a protocol name, for example "XK" or "NNpsk0+psk2".</summary>
    public static HandshakePattern Parse(string pattern)
    {
        var pskAt = pattern.IndexOf("psk", StringComparison.Ordinal);
        var baseName = pskAt < 0 ? pattern : pattern[..pskAt];
        if (!Catalogue.TryGetValue(baseName, out var text)) throw new NotSupportedException($"Unknown handshake pattern '{baseName}'.");

        var lines = text.Split('|', StringSplitOptions.TrimEntries);
        var dots = Array.IndexOf(lines, "...");
        var pre = dots < 0 ? [] : lines[..dots];
        var messages = (dots < 0 ? lines : lines[(dots + 1)..]).Select(ParseTokens).ToList();

        if (pskAt >= 0)
            foreach (var modifier in pattern[pskAt..].Split('+'))
            {
                var n = int.Parse(modifier["psk".Length..], System.Globalization.CultureInfo.InvariantCulture);
                if (n == 0) messages[0].Insert(0, Token.Psk);
                else messages[n - 1].Add(Token.Psk);
            }

        return new HandshakePattern(pattern, pre.Contains("-> s"), pre.Contains("<- s"), messages.Select(m => (IReadOnlyList<Token>)m).ToList());
    }

    private static List<Token> ParseTokens(string line) => line[3..].Split(',', StringSplitOptions.TrimEntries).Select(t => t switch
    {
        "e" => Token.E,
        "s" => Token.S,
        "ee" => Token.EE,
        "es" => Token.ES,
        "se" => Token.SE,
        "ss" => Token.SS,
        _ => throw new FormatException(t),
    }).ToList();
}
