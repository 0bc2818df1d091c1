using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Escalation;

/// <summary>Crisis routing rules (docs/protocol.md §8, docs/features/escalation.md). All times are the server's TimeProvider.</summary>
public sealed class RoutingOptions
{
    public const string SectionName = "Routing";

    /// <summary>A caller waiting this long is offered the open resources, and keeps their place.</summary>
    [Range(1, 1440)] public int LongWaitMinutes { get; set; } = 5;

    /// <summary>On-shift leads get a CrisisAlert when a crisis request arrives.</summary>
    public bool AlertLeadsOnCrisis { get; set; } = true;

    /// <summary>When the line is staffed by plan. Unset: always. Outside it, callers are offered the open resources at once.</summary>
    public CoverageOptions? Coverage { get; set; }
}

public sealed class CoverageOptions
{
    /// <summary>An IANA time zone, for example America/New_York.</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>Weekly windows, as in directory.json: days (mon…sun, daily, weekdays, weekends), from and to ("HH:mm").</summary>
    public List<WindowOptions> Weekly { get; set; } = [];
}

public sealed class WindowOptions
{
    public List<string> Days { get; set; } = [];
    public string From { get; set; } = "";
    public string To { get; set; } = "";
}
