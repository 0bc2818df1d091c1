using PeerLine.Server.Metrics;

namespace PeerLine.Tests.Metrics;

/// <summary>Counts from 1 to 10 are withheld, and no subtraction within a week's row brings one back.</summary>
public sealed class SmallCountsTests
{
    [Fact]
    public void OneSmallCount_WouldBeTheTotalMinusTheRest_SoASecondIsWithheld()
    {
        var (cells, total) = SmallCounts.Publish([12, 3, 20], threshold: 10);

        Assert.Equal([null, null, 20L], cells);
        Assert.Equal(35, total);
        Assert.Null(Recovered(cells, total));
    }

    [Fact]
    public void PrimarySuppressionAlone_IsUndoneBySubtraction_TheCheckCanFail()
    {
        // What a naive table would publish: only the 3 withheld. The attacker finds it at once.
        Assert.Equal((1, 3L), Recovered([12, null, 20], 35));
    }

    [Fact]
    public void SmallTotal_Withheld_WithACount_ZeroPublished()
    {
        var (cells, total) = SmallCounts.Publish([0, 4], threshold: 10);

        Assert.Equal([0L, null], cells);
        Assert.Null(total);
        Assert.Null(Recovered(cells, total));
    }

    [Fact]
    public void OnlySmallThingIsTheTotal_ASecondEntryGoesWithIt()
    {
        // 0 + 0 + 7: the 7 is withheld, and so is the total that equals it.
        var (cells, total) = SmallCounts.Publish([0, 0, 7], threshold: 10);

        Assert.Null(cells[2]);
        Assert.Null(total);
        Assert.Null(Recovered(cells, total));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomRows_NoSmallCountPublished_NeverExactlyOneUnknown_PublishedValuesTrue(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 2000; n++)
        {
            var row = Enumerable.Range(0, random.Next(1, 10)).Select(_ => random.Next(4) == 0 ? 0L : random.Next(1, 40)).ToList();

            var (cells, total) = SmallCounts.Publish(row, threshold: 10);

            var entries = cells.Append(total).ToList();
            var truth = row.Append(row.Sum()).ToList();
            for (var i = 0; i < entries.Count; i++)
                if (entries[i] is { } v)
                {
                    Assert.Equal(truth[i], v);
                    Assert.False(v is >= 1 and <= 10);
                }
            Assert.NotEqual(1, entries.Count(e => e is null));
            Assert.Null(Recovered(cells, total));
        }
    }

    /// <summary>The attack on a published row: with exactly one unknown, the sum gives it (index, value), else null.</summary>
    private static (int, long)? Recovered(long?[] cells, long? total)
    {
        var unknown = cells.Select((v, i) => (v, i)).Where(c => c.v is null).Select(c => c.i).ToList();
        if (total is null) return unknown.Count == 0 ? (cells.Length, cells.Sum(c => c!.Value)) : null;
        return unknown.Count == 1 ? (unknown[0], total.Value - cells.Sum(c => c ?? 0)) : null;
    }
}
