using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Escalation;

/// <summary>Crisis alerts to the leads on shift (docs/features/escalation.md#crisis-alerts).</summary>
public sealed class EscalationOptions
{
    public const string SectionName = "Escalation";

    /// <summary>
    /// After an alert, further crisis requests within this many seconds are not alerted one by one: when the window
    /// ends, one alert names the latest and how many crisis requests wait.
    /// </summary>
    [Range(1, 3600)] public int CrisisAlertWindowSeconds { get; set; } = 30;
}
