using Microsoft.AspNetCore.SignalR.Client;
using PeerLine.Protocol.Puzzle;
using PeerLine.Protocol.Wire;

namespace PeerLine.Tests.Infrastructure;

public static class PuzzleProofs
{
    /// <summary>Fetches a challenge on this caller connection and solves it, as a client does before RequestSupport or RequestReturn.</summary>
    public static async Task<PuzzleProof> SolvedPuzzleAsync(this HubConnection caller) =>
        await ProofOfWork.SolveAsync(await caller.InvokeAsync<PuzzleChallenge>(nameof(ICallerHub.Challenge)).Within()).Within();
}
