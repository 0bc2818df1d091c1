using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Puzzle;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Puzzle;

/// <summary>The solver matches the protocol's vectors, and a request that pays the real default price gets in.</summary>
public sealed class SolvingThePuzzleTests() : AppScenario(new PeerLineApp(new() { ["Puzzle:BaseBits"] = "8" }))
{
    private static readonly byte[] VectorChallenge = Enumerable.Range(0, 46).Select(i => (byte)i).ToArray();

    [Theory]
    [InlineData(4, 8UL)]
    [InlineData(8, 330UL)]
    [InlineData(10, 1826UL)]
    public void Solve_ProtocolVector_FindsTheSmallestNonce(int bits, ulong smallest)
    {
        var proof = ProofOfWork.Solve(new PuzzleChallenge(VectorChallenge, bits, 1000, 600));

        Assert.Equal(smallest, BinaryPrimitives.ReadUInt64BigEndian(proof.Nonce));
        Assert.Equal(VectorChallenge, proof.Challenge);
    }

    [Fact]
    public void Pbkdf2_ProtocolVectorNonce330_StartsAsDocumented()
    {
        var nonce = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(nonce, 330);

        var output = Rfc2898DeriveBytes.Pbkdf2(nonce, VectorChallenge, 1000, HashAlgorithmName.SHA256, 32);

        Assert.StartsWith("00816b01b7", Convert.ToHexStringLower(output), StringComparison.Ordinal);
        Assert.True(ProofOfWork.IsSolution(VectorChallenge, nonce, 8, 1000));
        Assert.False(ProofOfWork.IsSolution(VectorChallenge, nonce, 9, 1000));
    }

    [Fact]
    public async Task Challenge_Calm_AsksTheDefaultPrice()
    {
        await using var caller = App.RawConnection(HubRoutes.Caller);
        await caller.StartAsync().Within();

        var challenge = await caller.InvokeAsync<PuzzleChallenge>(nameof(ICallerHub.Challenge)).Within();
        var again = await caller.InvokeAsync<PuzzleChallenge>(nameof(ICallerHub.Challenge)).Within();

        Assert.Equal((8, 1000, 600), (challenge.Bits, challenge.Iterations, challenge.ExpiresInSeconds));
        Assert.Equal(46, challenge.Challenge.Length);
        Assert.NotEqual(challenge.Challenge, again.Challenge);
    }

    [Fact]
    public async Task RequestSupport_SolvedAtTheDefaultPrice_Accepted()
    {
        await using var caller = await App.RequestSupportAsync(Topics.Burnout, Priorities.Routine);

        Assert.Equal(SessionStates.Waiting, caller.Ticket!.Queue.State);
        Assert.Equal(1, await App.DbAsync(db => db.Sessions.CountAsync()));
        App.Logs.AssertNoErrors();
    }
}
