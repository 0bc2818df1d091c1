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

    /// <summary>
    /// Whether the week under way is shown too. Off by default: its counts change while someone watches, and the
    /// difference between two looks can tell what happened to one caller in between.
    /// </summary>
    public bool IncludeCurrentWeek { get; set; }
}
