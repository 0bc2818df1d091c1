namespace PeerLine.Server.Metrics;

/// <summary>
/// A table of counts with row totals, column totals and a grand total, published with small-cell suppression:
/// every count from 1 to <c>threshold</c> is withheld (primary), and then, in every row and column (totals
/// included) that would withhold exactly one entry, a second one is withheld too (complementary), until no line
/// has exactly one. No single subtraction, and no chain of them, then yields a withheld value: every line with a
/// withheld entry has at least two unknowns. Zero is published as zero.
/// </summary>
public sealed class SuppressedTable
{
    private readonly long[,] _m;
    private readonly bool[,] _hidden;

    public SuppressedTable(long[,] cells, int threshold)
    {
        Rows = cells.GetLength(0);
        Columns = cells.GetLength(1);
        _m = new long[Rows + 1, Columns + 1];
        for (var i = 0; i < Rows; i++)
            for (var j = 0; j < Columns; j++)
            {
                var v = cells[i, j];
                _m[i, j] = v;
                _m[i, Columns] += v;
                _m[Rows, j] += v;
                _m[Rows, Columns] += v;
            }

        _hidden = new bool[Rows + 1, Columns + 1];
        for (var i = 0; i <= Rows; i++)
            for (var j = 0; j <= Columns; j++)
                _hidden[i, j] = _m[i, j] >= 1 && _m[i, j] <= threshold;
        Complete();
    }

    public int Rows { get; }
    public int Columns { get; }

    /// <summary>A published cell, or null when withheld. Row <see cref="Rows"/> holds the column totals, column <see cref="Columns"/> the row totals.</summary>
    public long? this[int row, int column] => _hidden[row, column] ? null : _m[row, column];

    public long? RowTotal(int row) => this[row, Columns];
    public long? ColumnTotal(int column) => this[Rows, column];
    public long? GrandTotal => this[Rows, Columns];

    /// <summary>The published row: its cells, then its total.</summary>
    public long?[] Row(int row) => Enumerable.Range(0, Columns + 1).Select(j => this[row, j]).ToArray();

    private void Complete()
    {
        for (var changed = true; changed;)
        {
            changed = false;
            for (var i = 0; i <= Rows; i++)
                changed |= CompleteLine(Enumerable.Range(0, Columns + 1).Select(j => (i, j)).ToList());
            for (var j = 0; j <= Columns; j++)
                changed |= CompleteLine(Enumerable.Range(0, Rows + 1).Select(i => (i, j)).ToList());
        }
    }

    /// <summary>A line is its entries then its total (the last one). With exactly one withheld, withholds a second.</summary>
    private bool CompleteLine(List<(int I, int J)> line)
    {
        if (line.Count(c => _hidden[c.I, c.J]) != 1) return false;
        var entries = line.Take(line.Count - 1).Where(c => !_hidden[c.I, c.J]).ToList();
        var total = line[^1];
        // The smallest positive entry costs the least information; failing that the total; failing that a zero.
        var choice = entries.Where(c => _m[c.I, c.J] > 0).OrderBy(c => _m[c.I, c.J]).Cast<(int, int)?>().FirstOrDefault()
            ?? (!_hidden[total.I, total.J] ? total : entries.Cast<(int, int)?>().FirstOrDefault());
        if (choice is not { } c2) return false;
        _hidden[c2.Item1, c2.Item2] = true;
        return true;
    }
}
