using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace PeerLine.Tests.Infrastructure;

/// <summary>Every log event the server emitted after the privacy gate, rendered exactly as the console sink would write it.</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<(LogEventLevel Level, string Json)> _events = new();
    private readonly CompactJsonFormatter _formatter = new();

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        _formatter.Format(logEvent, writer);
        _events.Enqueue((logEvent.Level, writer.ToString()));
    }

    public IReadOnlyList<string> Lines => _events.Select(e => e.Json).ToList();

    public string All => string.Join("\n", Lines);

    public void AssertNoErrors()
    {
        var errors = _events.Where(e => e.Level >= LogEventLevel.Error).Select(e => e.Json).ToList();
        if (errors.Count > 0) Assert.Fail("The server logged errors:\n" + string.Join("\n", errors));
    }
}
