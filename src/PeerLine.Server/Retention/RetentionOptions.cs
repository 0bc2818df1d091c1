using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Retention;

public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>How often the retention job runs, in minutes (each run is an audit event); at most 30 days.</summary>
    [Range(1, 43_200)]
    public int IntervalMinutes { get; set; } = 1440;

    /// <summary>
    /// Ended sessions' rows (codes and times; their ciphertext went at close) and their shared-resource kinds are deleted after this
    /// many days.
    /// </summary>
    [Range(1, 3650)]
    public int SessionDays { get; set; } = 30;

    /// <summary>
    /// Rows of requests that ended without anyone claiming them (withdrawn, abandoned) are deleted by the queue sweeper after
    /// this many minutes; they are counted by the hour in the audit trail (requests-hourly) and nothing else keeps them.
    /// </summary>
    [Range(1, 43_200)]
    public int UnansweredRequestMinutes { get; set; } = 60;

    /// <summary>Shift records are deleted after this many days (at least 8: the weekly hours cap reads the last seven).</summary>
    [Range(8, 3650)]
    public int ShiftRecordDays { get; set; } = 90;

    /// <summary>Audit events, their checkpoints and the weekly feedback counts are deleted after this many days (six years by default).</summary>
    [Range(1, 36_500)]
    public int AuditDays { get; set; } = 2190;
}
