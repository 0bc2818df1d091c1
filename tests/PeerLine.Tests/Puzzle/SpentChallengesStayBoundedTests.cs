using PeerLine.Server.Puzzle;

namespace PeerLine.Tests.Puzzle;

/// <summary>The memory of used challenges: a challenge counts once, expired ones are forgotten, and a full set never lets one through twice.</summary>
public sealed class SpentChallengesStayBoundedTests
{
    [Fact]
    public void TrySpend_SameChallengeTwice_SecondRefused()
    {
        var spent = new SpentChallenges();

        Assert.True(spent.TrySpend(issuedAt: 100, id: 1, expiredBefore: 0));
        Assert.False(spent.TrySpend(issuedAt: 100, id: 1, expiredBefore: 0));
        Assert.True(spent.TrySpend(issuedAt: 100, id: 2, expiredBefore: 0));
    }

    [Fact]
    public void TrySpend_SetFull_OldestSecondDroppedAndRefusedFromThenOn()
    {
        var spent = new SpentChallenges(capacity: 3);
        Assert.True(spent.TrySpend(100, 1, 0));
        Assert.True(spent.TrySpend(100, 2, 0));
        Assert.True(spent.TrySpend(101, 3, 0));

        Assert.True(spent.TrySpend(102, 4, 0)); // over capacity: second 100 is dropped

        Assert.False(spent.TrySpend(100, 1, 0)); // forgotten, but at or below the floor: still refused
        Assert.False(spent.TrySpend(100, 9, 0)); // an unused challenge of that second too
        Assert.False(spent.TrySpend(101, 3, 0));
        Assert.True(spent.TrySpend(103, 5, 0));
    }

    [Fact]
    public void TrySpend_AfterExpiredSecondsAreForgotten_UnexpiredOnesStillRemembered()
    {
        var spent = new SpentChallenges(capacity: 10);
        Assert.True(spent.TrySpend(100, 1, 0));
        Assert.True(spent.TrySpend(101, 2, 0));

        Assert.True(spent.TrySpend(102, 3, expiredBefore: 101)); // second 100 is forgotten (the service refuses it as expired)

        Assert.False(spent.TrySpend(101, 2, expiredBefore: 101));
        Assert.False(spent.TrySpend(102, 3, expiredBefore: 101));
    }
}
