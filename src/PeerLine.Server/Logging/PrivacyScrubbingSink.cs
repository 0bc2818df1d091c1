using Serilog.Core;
using Serilog.Events;

namespace PeerLine.Server.Logging;

/// <summary>
/// The last gate before any log sink. PeerLine's own events are built from codes and counts and pass whole.
/// Framework events keep only properties on a short allow-list, and an exception is reduced to its type name:
/// messages of exceptions and framework properties can carry paths, query strings, addresses or input text.
/// </summary>
public sealed class PrivacyScrubbingSink(ILogEventSink next) : ILogEventSink
{
    private static readonly HashSet<string> FrameworkAllowed = new(StringComparer.Ordinal)
    {
        "SourceContext", "EventId", "address", "EnvName", "StatusCode", "ElapsedMilliseconds",
    };

    public void Emit(LogEvent logEvent)
    {
        var ours = logEvent.Properties.TryGetValue("SourceContext", out var source) &&
                   source is ScalarValue { Value: string s } && s.StartsWith("PeerLine.", StringComparison.Ordinal);

        var properties = logEvent.Properties
            .Where(p => ours || FrameworkAllowed.Contains(p.Key))
            .Select(p => new LogEventProperty(p.Key, p.Value))
            .ToList();
        if (logEvent.Exception is { } e) properties.Add(new LogEventProperty("ExceptionType", new ScalarValue(e.GetType().FullName)));

        next.Emit(new LogEvent(logEvent.Timestamp, logEvent.Level, exception: null, logEvent.MessageTemplate, properties));
    }
}
