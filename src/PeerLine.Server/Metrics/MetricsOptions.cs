using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Metrics;

public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Counts from 1 up to this are withheld, with whatever else would let them be worked out.</summary>
    [Range(1, 1000)]
    public int SuppressUpTo { get; set; } = 10;

    /// <summary>Weeks shown when none are asked for, and the most that may be.</summary>
    [Range(1, 520)]
    public int DefaultWeeks { get; set; } = 12;

    [Range(1, 520)]
    public int MaxWeeks { get; set; } = 104;
}
