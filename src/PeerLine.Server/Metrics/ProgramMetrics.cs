namespace PeerLine.Server.Metrics;

/// <summary>One published table: a row per week (cells, then the row total); no totals across weeks. Null is withheld.</summary>
public sealed record MetricsTable(string Id, IReadOnlyList<string> Columns, IReadOnlyList<MetricsRow> Rows);

public sealed record MetricsRow(string Week, IReadOnlyList<long?> Cells, long? Total);

/// <summary>Waits of the sessions answered in a week (seconds), published only when that week's answered count is.</summary>
public sealed record WeeklyWaits(string Week, long? MedianSeconds, long? P90Seconds, double? AbandonmentRate);

public sealed record ProgramMetricsReport(
    IReadOnlyList<string> Weeks, int SuppressedUpTo, IReadOnlyList<MetricsTable> Tables, IReadOnlyList<WeeklyWaits> Waits);
