using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Queue;

namespace PeerLine.Server.Escalation;

/// <summary>
/// Decides why a waiting caller should see escalation resources now (ResourceReasons), in this order: a crisis;
/// outside coverage hours; nobody on shift; waiting past the long-wait threshold. Null: no reason.
/// </summary>
public sealed class RoutingRules
{
    private readonly RoutingOptions _options;

    public RoutingRules(IOptions<RoutingOptions> options)
    {
        _options = options.Value;
        Coverage = _options.Coverage is { } c ? ToHours(c) : null;
    }

    /// <summary>The planned coverage, or null for "always".</summary>
    public OpeningHours? Coverage { get; }

    public long LongWaitMs => _options.LongWaitMinutes * 60_000L;

    public bool AlertLeadsOnCrisis => _options.AlertLeadsOnCrisis;

    public bool IsCovered(long nowMs) => Coverage?.IsOpen(DateTimeOffset.FromUnixTimeMilliseconds(nowMs)) != false;

    public string? ResourcesFor(Priority priority, long requestedAtMs, long nowMs, int onShift)
    {
        if (priority == Priority.Crisis) return ResourceReasons.Crisis;
        if (!IsCovered(nowMs)) return ResourceReasons.OutsideHours;
        if (onShift == 0) return ResourceReasons.NobodyOnShift;
        return nowMs - requestedAtMs >= LongWaitMs ? ResourceReasons.LongWait : null;
    }

    /// <summary>Problems in Routing:Coverage, for start-up validation (empty when fine).</summary>
    public static IReadOnlyList<string> Check(CoverageOptions? coverage)
    {
        if (coverage is null) return [];
        var errors = new List<string>();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(coverage.TimeZone, out _))
            errors.Add($"Routing:Coverage:TimeZone \"{coverage.TimeZone}\" is not a known time zone (use an IANA name such as America/New_York).");
        if (coverage.Weekly.Count == 0) errors.Add("Routing:Coverage:Weekly needs at least one window (or leave Routing:Coverage unset for always).");
        for (var i = 0; i < coverage.Weekly.Count; i++)
        {
            var w = coverage.Weekly[i];
            if (w.Days.Count == 0 || w.Days.Any(d => !DirectoryFile.Days.ContainsKey(d)))
                errors.Add($"Routing:Coverage:Weekly:{i}:Days must list mon…sun, daily, weekdays or weekends.");
            if (!DirectoryFile.TryTime(w.From, out _) || !DirectoryFile.TryTime(w.To, out _))
                errors.Add($"Routing:Coverage:Weekly:{i}: From and To must be times like \"08:00\".");
        }
        return errors;
    }

    private static OpeningHours ToHours(CoverageOptions c) => OpeningHours.WeeklyWindows(
        TimeZoneInfo.FindSystemTimeZoneById(c.TimeZone),
        c.Weekly.Select(w => new WeeklyWindow(
            w.Days.SelectMany(d => DirectoryFile.Days[d]).Distinct().ToList(),
            TimeOnly.ParseExact(w.From, "HH:mm"), TimeOnly.ParseExact(w.To, "HH:mm"))).ToList());
}
