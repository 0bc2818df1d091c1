using System.Text.Json;
using System.Text.RegularExpressions;

namespace PeerLine.Tests.Audit;

/// <summary>
/// Looks for the 18 HIPAA Safe Harbor identifier types (45 CFR 164.514(b)(2)) in an audit export. Cryptographic
/// members (prev, hash, sig, the checkpoint's head hash and signature line) are random bytes and are only searched
/// for the literal identifiers; everything else is searched for every pattern. Returns one line per finding.
/// </summary>
public static partial class SafeHarborScan
{
    private static readonly (string Type, Regex Pattern)[] Patterns =
    [
        ("geographic: ZIP code", Zip()),
        ("geographic: street address", Street()),
        ("date in another format", SlashDate()),
        ("telephone or fax number", Phone()),
        ("e-mail address", Email()),
        ("social security number", Ssn()),
        ("record, plan, account or licence number (6+ digits)", LongNumber()),
        ("record number with letters", LetteredNumber()),
        ("vehicle identifier", Vin()),
        ("device identifier (GUID)", Guid()),
        ("device identifier (long hex)", LongHex()),
        ("URL", Url()),
        ("IPv4 address", IPv4()),
        ("IPv6 address", IPv6()),
        ("photograph (embedded image)", Image()),
    ];

    /// <param name="names">People's names that must not appear as words (case-insensitive).</param>
    /// <param name="literals">Values that must not appear anywhere at all: canaries, live ids, secrets, tokens, key ids.</param>
    public static List<string> Findings(string export, IEnumerable<string> names, IEnumerable<string> literals)
    {
        var findings = new List<string>();
        foreach (var literal in literals.Where(l => l.Length > 0))
            if (export.Contains(literal, StringComparison.OrdinalIgnoreCase)) findings.Add($"identifier: {literal}");

        var lineNumber = 0;
        foreach (var line in export.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            lineNumber++;
            foreach (var (where, text) in Scannable(line))
            {
                foreach (var name in names)
                    if (Regex.IsMatch(text, $@"\b{Regex.Escape(name)}\b", RegexOptions.IgnoreCase))
                        findings.Add($"line {lineNumber} {where}: name {name}");
                foreach (var (type, pattern) in Patterns)
                    if (pattern.Match(text) is { Success: true } m) findings.Add($"line {lineNumber} {where}: {type}: {m.Value}");
                if (where != "checkpoint time")
                    foreach (Match m in IsoTime().Matches(text))
                        if (!m.Value.EndsWith(":00:00Z", StringComparison.Ordinal))
                            findings.Add($"line {lineNumber} {where}: time finer than the hour: {m.Value}");
            }
        }
        return findings;
    }

    /// <summary>Every value of a line except random bytes, with where it came from.</summary>
    private static IEnumerable<(string Where, string Text)> Scannable(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.GetProperty("type").GetString() == "checkpoint")
        {
            var note = root.GetProperty("note").GetString()!.Split('\n');
            yield return ("checkpoint origin", note[0]);
            yield return ("checkpoint size", note[1]);
            yield return ("checkpoint time", note[3]);
            yield break;
        }
        foreach (var member in root.EnumerateObject())
        {
            if (member.Name is "prev" or "hash" or "sig") continue;
            if (member.Value.ValueKind == JsonValueKind.Object)
                foreach (var field in member.Value.EnumerateObject())
                    yield return ($"field {field.Name}", field.Name + "=" + field.Value.ToString());
            else
                yield return (member.Name, member.Value.ToString());
        }
    }

    [GeneratedRegex(@"\b\d{5}(?:-\d{4})?\b")] private static partial Regex Zip();
    [GeneratedRegex(@"\b\d+\s+[A-Za-z]+\s+(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr)\b")] private static partial Regex Street();
    [GeneratedRegex(@"\b\d{1,2}/\d{1,2}/\d{2,4}\b")] private static partial Regex SlashDate();
    [GeneratedRegex(@"(?:\+?1[\s.-])?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b")] private static partial Regex Phone();
    [GeneratedRegex(@"[\w.+-]+@[\w-]+\.[\w.-]+")] private static partial Regex Email();
    [GeneratedRegex(@"\b\d{3}-\d{2}-\d{4}\b")] private static partial Regex Ssn();
    [GeneratedRegex(@"\d{6,}")] private static partial Regex LongNumber();
    [GeneratedRegex(@"\b[A-Za-z]{2,4}[-#]?\d{5,}\b")] private static partial Regex LetteredNumber();
    [GeneratedRegex(@"\b[A-HJ-NPR-Z0-9]{17}\b")] private static partial Regex Vin();
    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")] private static partial Regex Guid();
    [GeneratedRegex(@"\b[0-9a-fA-F]{16,}\b")] private static partial Regex LongHex();
    [GeneratedRegex(@"https?://|\bwww\.", RegexOptions.IgnoreCase)] private static partial Regex Url();
    [GeneratedRegex(@"\b(?:\d{1,3}\.){3}\d{1,3}\b")] private static partial Regex IPv4();
    [GeneratedRegex(@"\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b|[0-9a-fA-F]{0,4}::[0-9a-fA-F]{0,4}")] private static partial Regex IPv6();
    [GeneratedRegex(@"data:image/|iVBORw0KGgo|/9j/4")] private static partial Regex Image();
    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?Z")] private static partial Regex IsoTime();
}
