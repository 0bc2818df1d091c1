using PeerLine.Server.Metrics;

namespace PeerLine.Tests.Metrics;

/// <summary>Counts from 1 to 10 are withheld, and no subtraction of published numbers (however chained) brings one back.</summary>
public sealed class SmallCellSuppressionTests
{
    [Fact]
    public void OneSmallCellInARow_WouldBeRecoveredFromTheTotal_SoASecondCellIsWithheld()
    {
        var table = new SuppressedTable(new long[,] { { 12, 3, 20 }, { 15, 14, 30 } }, threshold: 10);

        Assert.Null(table[0, 1]);
        Assert.Equal(2, table.Row(0).Count(v => v is null));
        Assert.Empty(RecoveredBySubtraction(table));
    }

    [Fact]
    public void PrimarySuppressionAlone_IsUndoneBySubtraction_TheCheckCanFail()
    {
        // What a naive table would publish: only the 3 withheld. The attacker finds it at once.
        long?[,] naive = { { 12, null, 20, 35 }, { 15, 14, 30, 59 }, { 27, 17, 50, 94 } };

        Assert.Contains((0, 1, 3L), Solve(naive));
    }

    [Fact]
    public void SmallTotals_AreWithheldToo_ZeroIsPublished()
    {
        var table = new SuppressedTable(new long[,] { { 0, 4 }, { 0, 30 } }, threshold: 10);

        Assert.Equal(0, table[0, 0]);
        Assert.Null(table[0, 1]);
        Assert.Null(table.RowTotal(0));
        Assert.Empty(RecoveredBySubtraction(table));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RandomTables_NoSmallCountPublished_NoLineWithOneUnknown_NothingRecovered_PublishedValuesTrue(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 200; n++)
        {
            var rows = random.Next(1, 9);
            var columns = random.Next(1, 7);
            var cells = new long[rows, columns];
            for (var i = 0; i < rows; i++)
                for (var j = 0; j < columns; j++)
                    cells[i, j] = random.Next(4) == 0 ? 0 : random.Next(1, 40);

            var table = new SuppressedTable(cells, threshold: 10);

            var full = Full(cells);
            for (var i = 0; i <= rows; i++)
                for (var j = 0; j <= columns; j++)
                {
                    if (table[i, j] is { } v)
                    {
                        Assert.Equal(full[i, j], v);
                        Assert.False(v is >= 1 and <= 10);
                    }
                }
            foreach (var line in Lines(rows, columns))
                Assert.NotEqual(1, line.Count(c => table[c.I, c.J] is null));
            Assert.Empty(RecoveredBySubtraction(table));
        }
    }

    /// <summary>The attack: repeatedly solve any row or column (with its total) that has exactly one unknown.</summary>
    private static List<(int, int, long)> RecoveredBySubtraction(SuppressedTable table)
    {
        var grid = new long?[table.Rows + 1, table.Columns + 1];
        for (var i = 0; i <= table.Rows; i++)
            for (var j = 0; j <= table.Columns; j++)
                grid[i, j] = table[i, j];
        return Solve(grid);
    }

    private static List<(int, int, long)> Solve(long?[,] grid)
    {
        var rows = grid.GetLength(0) - 1;
        var columns = grid.GetLength(1) - 1;
        var recovered = new List<(int, int, long)>();
        for (var progress = true; progress;)
        {
            progress = false;
            foreach (var line in Lines(rows, columns))
            {
                var unknown = line.Where(c => grid[c.I, c.J] is null).ToList();
                if (unknown.Count != 1) continue;
                var total = line[^1];
                var sumOfParts = line.Take(line.Count - 1).Sum(c => grid[c.I, c.J] ?? 0);
                var (ui, uj) = unknown[0];
                var value = (ui, uj) == total ? sumOfParts : grid[total.I, total.J]!.Value - sumOfParts;
                grid[ui, uj] = value;
                recovered.Add((ui, uj, value));
                progress = true;
            }
        }
        return recovered;
    }

    /// <summary>Every row and column of the table with margins, its total last.</summary>
    private static IEnumerable<List<(int I, int J)>> Lines(int rows, int columns)
    {
        for (var i = 0; i <= rows; i++) yield return Enumerable.Range(0, columns + 1).Select(j => (i, j)).ToList();
        for (var j = 0; j <= columns; j++) yield return Enumerable.Range(0, rows + 1).Select(i => (i, j)).ToList();
    }

    private static long[,] Full(long[,] cells)
    {
        var (rows, columns) = (cells.GetLength(0), cells.GetLength(1));
        var full = new long[rows + 1, columns + 1];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < columns; j++)
            {
                full[i, j] = cells[i, j];
                full[i, columns] += cells[i, j];
                full[rows, j] += cells[i, j];
                full[rows, columns] += cells[i, j];
            }
        return full;
    }
}
