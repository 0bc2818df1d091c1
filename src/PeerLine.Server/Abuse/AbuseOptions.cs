using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Abuse;

/// <summary>
/// Per-source and server-wide limits. A source is the client's network address (IPv4, or an IPv6 prefix), known only
/// as a keyed hash in memory. The defaults let a hospital NAT with several physicians behind one address through.
/// </summary>
public sealed class AbuseOptions : IValidatableObject
{
    public const string SectionName = "Abuse";

    /// <summary>Concurrent caller-hub connections from one source.</summary>
    [Range(1, 1_000_000)] public int ConnectionsPerSource { get; set; } = 20;

    /// <summary>Requests from one source waiting in the queue at once.</summary>
    [Range(1, 1_000_000)] public int WaitingPerSource { get; set; } = 4;

    /// <summary>Requests (RequestSupport, RequestReturn) one source may make in an hour.</summary>
    [Range(1, 1_000_000)] public int RequestsPerSourcePerHour { get; set; } = 20;

    /// <summary>Caller-hub connections on this server, whatever their source; staff connect beyond it.</summary>
    [Range(1, 10_000_000)] public int MaxCallerConnections { get; set; } = 10_000;

    /// <summary>Kestrel's limit on open connections of any kind.</summary>
    [Range(1, 10_000_000)] public int MaxConnections { get; set; } = 15_000;

    /// <summary>Kestrel's limit on open WebSocket (upgraded) connections.</summary>
    [Range(1, 10_000_000)] public int MaxUpgradedConnections { get; set; } = 14_000;

    /// <summary>Sources tracked at once; a source beyond it is held to the server-wide caps only.</summary>
    [Range(1, 100_000_000)] public int MaxTrackedSources { get; set; } = 200_000;

    /// <summary>Minutes between new random keys of the source hash; the previous key is kept one more period.</summary>
    [Range(1, 7 * 24 * 60)] public int SourceKeyMinutes { get; set; } = 60;

    /// <summary>Leading bits of an IPv6 address that make one source (a /64 is usually one household or site).</summary>
    [Range(16, 128)] public int IPv6PrefixLength { get; set; } = 64;

    /// <summary>The Retry-After a refused connection is given.</summary>
    [Range(1, 3600)] public int RetryAfterSeconds { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxUpgradedConnections > MaxConnections)
            yield return new ValidationResult("MaxUpgradedConnections cannot exceed MaxConnections.", [nameof(MaxUpgradedConnections)]);
        if (MaxCallerConnections > MaxUpgradedConnections)
            yield return new ValidationResult("MaxCallerConnections cannot exceed MaxUpgradedConnections.", [nameof(MaxCallerConnections)]);
    }
}
