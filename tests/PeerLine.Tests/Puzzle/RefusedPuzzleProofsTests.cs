using System.Buffers.Binary;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Protocol.Puzzle;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Puzzle;

/// <summary>
/// A request without a valid, fresh, unused proof is refused with puzzle-failed and leaves no session; the connection
/// then asks for a new challenge and gets in. At the real default price.
/// </summary>
public sealed class RefusedPuzzleProofsTests() : AppScenario(new PeerLineApp(
    new() { ["Puzzle:BaseBits"] = "8" }, new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T10:00:00Z"))))
{
    private FakeTimeProvider Time => App.Time!;

    [Fact]
    public async Task RequestSupport_WrongNonce_RefusedAndChallengeSpent()
    {
        await using var caller = await CallerAsync();
        var challenge = await caller.InvokeAsync<PuzzleChallenge>(nameof(ICallerHub.Challenge)).Within();
        var wrong = new PuzzleProof(challenge.Challenge, NotASolution(challenge));

        await AssertPuzzleFailed(caller, wrong);
        // The right nonce for that challenge no longer helps: a refused challenge is spent.
        await AssertPuzzleFailed(caller, ProofOfWork.Solve(challenge));

        await AssertNoSessionAsync();
        await AssertStillGetsInAsync(caller);
    }

    [Fact]
    public async Task RequestSupport_ProofUsedBefore_Refused()
    {
        await using var first = await CallerAsync();
        var proof = await first.SolvedPuzzleAsync();
        await first.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Other, Priorities.Routine, proof).Within();
        await using var second = await CallerAsync();

        await AssertPuzzleFailed(second, proof);
        await AssertPuzzleFailed(second, proof, nameof(ICallerHub.RequestReturn));

        Assert.Equal(1, await App.DbAsync(db => db.Sessions.CountAsync()));
    }

    [Fact]
    public async Task RequestSupport_ChallengeOlderThanItsLifetime_Refused()
    {
        await using var late = await CallerAsync();
        await using var inTime = await CallerAsync();
        var expiring = await late.SolvedPuzzleAsync();
        var lasting = await inTime.SolvedPuzzleAsync();

        Time.Advance(TimeSpan.FromSeconds(599));
        await inTime.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Other, Priorities.Routine, lasting).Within();
        Time.Advance(TimeSpan.FromSeconds(2));

        await AssertPuzzleFailed(late, expiring);
        Assert.Equal(1, await App.DbAsync(db => db.Sessions.CountAsync()));
        await AssertStillGetsInAsync(late);
    }

    [Fact]
    public async Task RequestSupport_AlteredOrForgedChallenge_Refused()
    {
        await using var caller = await CallerAsync();
        var cheaper = await caller.InvokeAsync<PuzzleChallenge>(nameof(ICallerHub.Challenge)).Within();
        cheaper.Challenge[9] = 0; // asks for no zero bits: any nonce would do, were the MAC not checked
        var renewed = (await caller.SolvedPuzzleAsync()).Challenge;
        BinaryPrimitives.WriteInt64BigEndian(renewed.AsSpan(1), Time.GetUtcNow().ToUnixTimeSeconds() + 1);
        var forged = new byte[46];
        forged[0] = 1;
        BinaryPrimitives.WriteInt64BigEndian(forged.AsSpan(1), Time.GetUtcNow().ToUnixTimeSeconds());
        BinaryPrimitives.WriteInt32BigEndian(forged.AsSpan(10), 1);

        await AssertPuzzleFailed(caller, new PuzzleProof(cheaper.Challenge, new byte[8]));
        await AssertPuzzleFailed(caller, ProofOfWork.Solve(new PuzzleChallenge(renewed, 8, 1000, 600)));
        await AssertPuzzleFailed(caller, new PuzzleProof(forged, new byte[8]));

        await AssertNoSessionAsync();
        await AssertStillGetsInAsync(caller);
    }

    [Fact]
    public async Task RequestSupport_MissingProof_Refused()
    {
        await using var caller = await CallerAsync();
        var solved = await caller.SolvedPuzzleAsync();

        await AssertPuzzleFailed(caller, null);
        await AssertPuzzleFailed(caller, new PuzzleProof(null!, solved.Nonce));
        await AssertPuzzleFailed(caller, new PuzzleProof(solved.Challenge, null!));
        await AssertPuzzleFailed(caller, new PuzzleProof(solved.Challenge, solved.Nonce[..4]));
        await AssertPuzzleFailed(caller, null, nameof(ICallerHub.RequestReturn));
        // A client of before the puzzle (two arguments) does not even reach the hub method.
        await Assert.ThrowsAsync<HubException>(() =>
            caller.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Other, Priorities.Routine).Within());

        await AssertNoSessionAsync();
        await AssertStillGetsInAsync(caller);
    }

    private async Task<HubConnection> CallerAsync()
    {
        var caller = App.RawConnection(HubRoutes.Caller);
        await caller.StartAsync().Within();
        return caller;
    }

    private static byte[] NotASolution(PuzzleChallenge challenge)
    {
        var nonce = new byte[8];
        for (ulong n = 0; ProofOfWork.IsSolution(challenge.Challenge, nonce, challenge.Bits, challenge.Iterations); n++)
            BinaryPrimitives.WriteUInt64BigEndian(nonce, n + 1);
        return nonce;
    }

    private static async Task AssertPuzzleFailed(HubConnection caller, PuzzleProof? proof, string method = nameof(ICallerHub.RequestSupport))
    {
        var call = method == nameof(ICallerHub.RequestReturn)
            ? caller.InvokeAsync<SessionTicket>(method, Topics.Other, Priorities.Routine, new byte[32], proof)
            : caller.InvokeAsync<SessionTicket>(method, Topics.Other, Priorities.Routine, proof);
        var refused = await Assert.ThrowsAsync<HubException>(() => call.Within());
        Assert.EndsWith(ErrorCodes.PuzzleFailed, refused.Message, StringComparison.Ordinal);
    }

    private async Task AssertNoSessionAsync() => Assert.Equal(0, await App.DbAsync(db => db.Sessions.CountAsync()));

    private static async Task AssertStillGetsInAsync(HubConnection caller)
    {
        var ticket = await caller.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Other, Priorities.Routine,
            await caller.SolvedPuzzleAsync()).Within();
        Assert.Equal(SessionStates.Waiting, ticket.Queue.State);
    }
}
