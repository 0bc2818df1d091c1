using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Hubs;

public sealed class HubLimitsOptions
{
    public const string SectionName = "HubLimits";

    /// <summary>Sustained hub invocations per connection per second.</summary>
    [Range(1, 100_000)] public int InvocationsPerSecond { get; set; } = 100;

    /// <summary>Invocations a connection may make in a burst above the sustained rate.</summary>
    [Range(1, 100_000)] public int InvocationBurst { get; set; } = 400;

    /// <summary>Seconds a connection may stay silent before the server drops it (clients ping every 15 s by default).</summary>
    [Range(5, 3600)] public int ClientTimeoutSeconds { get; set; } = 30;

    /// <summary>Repeated refusals of one method with one code are logged as one line per this many seconds.</summary>
    [Range(1, 3600)] public int RefusalLogWindowSeconds { get; set; } = 60;

    /// <summary>A connection refused <c>rate-limited</c> more often than this within one such window is closed.</summary>
    [Range(1, 1_000_000)] public int CloseAfterRefusals { get; set; } = 200;
}
