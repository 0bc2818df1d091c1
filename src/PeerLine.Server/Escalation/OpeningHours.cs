using PeerLine.Protocol.Wire;

namespace PeerLine.Server.Escalation;

/// <summary>
/// One weekly window: opens at <see cref="From"/> on each of <see cref="Days"/>, closes at <see cref="To"/> (the next day when To ≤ From).
/// </summary>
public sealed record WeeklyWindow(IReadOnlyList<DayOfWeek> Days, TimeOnly From, TimeOnly To);

/// <summary>
/// When a resource (or the line's own coverage) is open, in its own time zone: always, by weekly windows, or by
/// appointment only (never "open now").
/// </summary>
public sealed class OpeningHours
{
    private OpeningHours(string kind, TimeZoneInfo zone, IReadOnlyList<WeeklyWindow> windows)
    {
        Kind = kind;
        Zone = zone;
        Windows = windows;
    }

    public string Kind { get; }
    public TimeZoneInfo Zone { get; }
    public IReadOnlyList<WeeklyWindow> Windows { get; }

    public static OpeningHours AlwaysOpen(TimeZoneInfo zone) => new(HoursKinds.Always, zone, []);
    public static OpeningHours Appointment(TimeZoneInfo zone) => new(HoursKinds.ByAppointment, zone, []);
    public static OpeningHours WeeklyWindows(TimeZoneInfo zone, IReadOnlyList<WeeklyWindow> windows) => new(HoursKinds.Weekly, zone, windows);

    /// <summary>Open at that instant: null for by-appointment resources, which are never "open now".</summary>
    public bool? IsOpen(DateTimeOffset at)
    {
        if (Kind == HoursKinds.Always) return true;
        if (Kind == HoursKinds.ByAppointment) return null;
        var local = TimeZoneInfo.ConvertTime(at, Zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var today = local.DayOfWeek;
        var yesterday = (DayOfWeek)(((int)today + 6) % 7);
        foreach (var w in Windows)
        {
            var overnight = w.To <= w.From;
            if (w.Days.Contains(today) && time >= w.From && (overnight || time < w.To)) return true;
            if (overnight && w.Days.Contains(yesterday) && time < w.To) return true; // the tail of last night's window
        }
        return false;
    }
}
