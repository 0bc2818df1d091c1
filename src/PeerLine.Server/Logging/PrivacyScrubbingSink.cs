using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace PeerLine.Server.Logging;

/// <summary>
/// The last gate before any log sink. PeerLine's own events keep the properties their message template names
/// (codes and counts by construction); framework events keep only a short allow-list. Everything else goes,
/// including logging-scope properties such as RequestPath and ConnectionId, and an exception is reduced to its
/// type name: exception messages and framework properties can carry paths, query strings, addresses or input.
/// </summary>
public sealed class PrivacyScrubbingSink(ILogEventSink next) : ILogEventSink
{
    private static readonly HashSet<string> Always = new(StringComparer.Ordinal) { "SourceContext", "EventId" };

    private static readonly HashSet<string> FrameworkAllowed = new(StringComparer.Ordinal)
    {
        "address", "EnvName", "StatusCode", "ElapsedMilliseconds",
    };

    public void Emit(LogEvent logEvent)
    {
        var ours = logEvent.Properties.TryGetValue("SourceContext", out var source) &&
                   source is ScalarValue { Value: string s } && s.StartsWith("PeerLine.", StringComparison.Ordinal);

        var named = ours
            ? logEvent.MessageTemplate.Tokens.OfType<PropertyToken>().Select(t => t.PropertyName).ToHashSet(StringComparer.Ordinal)
            : FrameworkAllowed;
        var properties = logEvent.Properties
            .Where(p => Always.Contains(p.Key) || named.Contains(p.Key))
            .Select(p => new LogEventProperty(p.Key, p.Value))
            .ToList();
        if (logEvent.Exception is { } e) properties.Add(new LogEventProperty("ExceptionType", new ScalarValue(e.GetType().FullName)));

        next.Emit(new LogEvent(logEvent.Timestamp, logEvent.Level, exception: null, logEvent.MessageTemplate, properties));
    }
}
