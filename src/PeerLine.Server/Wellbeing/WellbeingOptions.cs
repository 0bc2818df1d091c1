using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Wellbeing;

/// <summary>Limits that protect supporters (docs/configuration.md). Visible to the supporter and to leads only.</summary>
public sealed class WellbeingOptions
{
    public const string SectionName = "Wellbeing";

    /// <summary>Longest shift: at this length the server ends the shift (chats already held stay).</summary>
    [Range(30, 1440)] public int MaxShiftMinutes { get; set; } = 240;

    /// <summary>How long before the maximum the supporter (and the leads on shift) are warned.</summary>
    [Range(1, 600)] public int ShiftWarningMinutes { get; set; } = 30;

    /// <summary>Most hours on shift in any seven days: StartShift is refused at the cap, and a shift reaching it ends.</summary>
    [Range(1, 168)] public int WeeklyHoursCap { get; set; } = 24;

    /// <summary>How often shift lengths are checked.</summary>
    [Range(5, 3600)] public int CheckIntervalSeconds { get; set; } = 60;
}
