namespace PeerLine.Server.Metrics;

/// <summary>
/// How one week's row of a table is published: every count from 1 to <c>threshold</c> is withheld (null), the row's
/// total too; then, if exactly one entry of the row (total included) is withheld, a second one is as well (the
/// smallest positive count, else the total, else a zero), so the row's sum never gives a withheld count back. Zero is
/// published as zero.
/// Rows are published on their own: there are no totals across weeks, so no other sum ties a withheld count to
/// published ones, and a week's row reads the same in every window it is shown in (two windows cannot be subtracted).
/// </summary>
public static class SmallCounts
{
    public static (long?[] Cells, long? Total) Publish(IReadOnlyList<long> cells, int threshold)
    {
        var entries = cells.Append(cells.Sum()).ToArray(); // the total last
        var hidden = entries.Select(v => v >= 1 && v <= threshold).ToArray();
        if (hidden.Count(h => h) == 1)
        {
            var visible = Enumerable.Range(0, cells.Count).Where(i => !hidden[i]).ToList();
            var second = visible.Where(i => entries[i] > 0).OrderBy(i => entries[i]).Cast<int?>().FirstOrDefault()
                ?? (!hidden[^1] ? entries.Length - 1 : visible.Cast<int?>().FirstOrDefault());
            if (second is { } s) hidden[s] = true;
        }
        var published = entries.Select((v, i) => hidden[i] ? (long?)null : v).ToArray();
        return (published[..^1], published[^1]);
    }
}
