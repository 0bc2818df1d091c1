using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Audit;

public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>The audit signing key (Ed25519), created at first start in the data directory. Not the roster key.</summary>
    public string KeyFile { get; set; } = "audit.key";

    /// <summary>The checkpoint origin line and signature key name (C2SP tlog-checkpoint).</summary>
    [RegularExpression(@"^[a-z0-9][a-z0-9./-]{0,99}$")]
    public string Origin { get; set; } = "peerline.audit";

    /// <summary>Every event's time is rounded down to this many minutes (one resolution for all, so staff events cannot narrow a caller's).</summary>
    [Range(1, 1440)]
    public int TimeResolutionMinutes { get; set; } = 60;

    /// <summary>A checkpoint is signed once this many events are unsigned...</summary>
    [Range(1, 1_000_000)]
    public int CheckpointEvents { get; set; } = 256;

    /// <summary>...or once the oldest unsigned event is this many minutes old.</summary>
    [Range(1, 1440)]
    public int CheckpointMinutes { get; set; } = 60;

    /// <summary>How often the checkpointer looks, in seconds.</summary>
    [Range(1, 3600)]
    public int CheckIntervalSeconds { get; set; } = 60;

    /// <summary>Waits are recorded rounded to this many seconds.</summary>
    [Range(1, 600)]
    public int WaitResolutionSeconds { get; set; } = 10;

    /// <summary>
    /// Whether the events API lists events of the period still under way (the current hour by default). Off: a reader
    /// polling the list would otherwise see each event appear within moments of it, undoing the rounding.
    /// </summary>
    public bool ListOpenPeriod { get; set; }

    /// <summary>The most events one page of the compliance API returns.</summary>
    [Range(1, 10_000)]
    public int MaxPageSize { get; set; } = 500;
}
