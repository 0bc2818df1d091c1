using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Docs;

/// <summary>
/// The log events the docs name are the ones the server logs: every row of an event table
/// (`| Event | Level | Message | When |`) has the id, level and message template of a [LoggerMessage] method
/// in PeerLine.Server, every "event NNNN" in prose exists, and a quoted message next to an id reads as that
/// event's template would render it. The code is the truth: fix the docs when this fails.
/// </summary>
public sealed partial class DocumentedLogEventsMatchTheCodeTests
{
    private sealed record CodeEvent(int Id, LogLevel Level, string Template, string Method);

    private static readonly Dictionary<int, CodeEvent> Events = EventsInTheServer();

    [Fact]
    public void ServerAssembly_DeclaresLogEvents()
    {
        // Guards the reflection itself: an empty set would let every other check pass.
        Assert.True(Events.Count >= 30, $"only {Events.Count} [LoggerMessage] methods found in PeerLine.Server");
        Assert.Equal(LogLevel.Warning, Events[7001].Level);
    }

    [Fact]
    public void EventTableRows_MatchIdLevelAndTemplate()
    {
        var problems = new List<string>();
        var rows = 0;
        foreach (var (file, lineNo, line) in EventTableRows())
        {
            rows++;
            var where = $"{file}:{lineNo}";
            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length < 3 || !int.TryParse(cells[0], out var id))
            {
                problems.Add($"{where}: not an event row (expected `| id | level | `template` | when |`): {line}");
                continue;
            }
            if (!Events.TryGetValue(id, out var ev))
            {
                problems.Add($"{where}: event {id} does not exist in PeerLine.Server");
                continue;
            }
            if (cells[1] != ev.Level.ToString())
                problems.Add($"{where}: event {id} level is {ev.Level} in {ev.Method}, the doc says {cells[1]}");
            var template = cells[2].Length >= 2 && cells[2][0] == '`' && cells[2][^1] == '`' ? cells[2][1..^1] : cells[2];
            if (template != ev.Template)
                problems.Add($"{where}: event {id} message is \"{ev.Template}\" in {ev.Method}, the doc says \"{template}\"");
        }
        Assert.True(rows >= 10, $"only {rows} event table rows found under docs/");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void EventIdsInProse_Exist()
    {
        var problems = new List<string>();
        var mentions = 0;
        foreach (var (file, text) in DocFiles())
            foreach (Match m in ProseMention().Matches(text))
                foreach (Match idMatch in Id().Matches(m.Groups["ids"].Value))
                {
                    mentions++;
                    var id = int.Parse(idMatch.Value);
                    if (!Events.ContainsKey(id))
                        problems.Add($"{file}:{LineOf(text, m.Index)}: \"{Collapse(m.Value)}\" names event {id}, which does not exist in PeerLine.Server");
                }
        Assert.True(mentions >= 20, $"only {mentions} \"event NNNN\" mentions found under docs/");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void QuotedMessagesNextToAnId_ReadAsTheTemplateRenders()
    {
        var problems = new List<string>();
        var quotes = 0;
        foreach (var (file, text) in DocFiles())
            foreach (var regex in new[] { QuoteThenId(), IdThenQuote() })
                foreach (Match m in regex.Matches(text))
                {
                    quotes++;
                    var id = int.Parse(m.Groups["id"].Value);
                    var quoted = Collapse(m.Groups["text"].Value);
                    var where = $"{file}:{LineOf(text, m.Index)}";
                    if (!Events.TryGetValue(id, out var ev))
                        problems.Add($"{where}: \"{quoted}\" is given as event {id}, which does not exist in PeerLine.Server");
                    else if (!StartsLikeRendered(ev.Template, quoted))
                        problems.Add($"{where}: \"{quoted}\" is not how event {id} renders: its template is \"{ev.Template}\" ({ev.Method})");
                }
        Assert.True(quotes >= 5, $"only {quotes} quoted messages next to an event id found under docs/");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// The quote is the template rendered with some values, or the beginning of such a rendering (docs may shorten
    /// a long message, as in "The web client is not built").
    /// </summary>
    private static bool StartsLikeRendered(string template, string quoted)
    {
        for (var cut = template.Length; cut > 0; cut--)
        {
            var head = template[..cut];
            if (head.LastIndexOf('{') > head.LastIndexOf('}')) continue; // cut inside a placeholder
            if (cut < template.Length && cut < 8) break;
            var pattern = string.Concat(Placeholder().Split(head).Select((part, i) => i % 2 == 0 ? Regex.Escape(part) : ".+?"));
            if (Regex.IsMatch(quoted, "^" + pattern + "$")) return true;
        }
        return false;
    }

    private static Dictionary<int, CodeEvent> EventsInTheServer()
    {
        var events = new Dictionary<int, CodeEvent>();
        foreach (var type in typeof(Program).Assembly.GetTypes())
            foreach (var method in type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                var attribute = method.GetCustomAttribute<LoggerMessageAttribute>();
                if (attribute is null) continue;
                var ev = new CodeEvent(attribute.EventId, attribute.Level, attribute.Message, $"{type.Name}.{method.Name}");
                if (!events.TryAdd(ev.Id, ev))
                    throw new InvalidOperationException($"event {ev.Id} declared twice: {events[ev.Id].Method} and {ev.Method}");
            }
        return events;
    }

    private static IEnumerable<(string File, string Text)> DocFiles()
    {
        var docs = RepositoryFiles.PathOf("docs");
        foreach (var path in Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            yield return (Path.GetRelativePath(RepositoryFiles.Root, path), File.ReadAllText(path));
    }

    private static IEnumerable<(string File, int Line, string Text)> EventTableRows()
    {
        foreach (var (file, text) in DocFiles())
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (!EventTableHeader().IsMatch(lines[i])) continue;
                for (var j = i + 2; j < lines.Length && lines[j].TrimStart().StartsWith('|'); j++)
                    yield return (file, j + 1, lines[j].TrimEnd('\r'));
            }
        }
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"^\|\s*Event\s*\|\s*Level\s*\|\s*Message\s*\|")]
    private static partial Regex EventTableHeader();

    /// <summary>"event 7001", "events 10001–10003", "events 12001–12004 and 13001–13002", "event 13001, 13002".</summary>
    [GeneratedRegex(@"\b[Ee]vents?\s+(?<ids>\d{4,5}(?:\s*(?:[–-]|,|,?\s+and|,?\s+or)\s*\d{4,5})*)")]
    private static partial Regex ProseMention();

    [GeneratedRegex(@"\d{4,5}")]
    private static partial Regex Id();

    /// <summary>`"Return code taken" 10001`, `"Lead left", 11001`, `"Post-chat feedback given (2 answers)" (14001)`.</summary>
    [GeneratedRegex("\"(?<text>[^\"\\n]+(?:\\n[^\"\\n]+)*)\",?\\s+\\(?(?<id>\\d{4,5})\\b")]
    private static partial Regex QuoteThenId();

    /// <summary>`event 8001 ("The web client is not built")`, ``event 11001 (`Lead invited`)``.</summary>
    [GeneratedRegex("\\b[Ee]vents?\\s+(?<id>\\d{4,5})\\s+\\([\"`](?<text>[^\"`]+)[\"`]")]
    private static partial Regex IdThenQuote();

    [GeneratedRegex(@"(\{[^}]+\})")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
