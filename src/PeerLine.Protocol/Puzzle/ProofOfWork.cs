using System.Buffers.Binary;
using System.Security.Cryptography;
using PeerLine.Protocol.Wire;

namespace PeerLine.Protocol.Puzzle;

/// <summary>
/// The request puzzle (protocol.md §3): a nonce whose PBKDF2-HMAC-SHA256 over the challenge begins with a number of
/// zero bits. PBKDF2 runs natively in WebCrypto, so a browser pays about what a native attacker pays per attempt.
/// </summary>
public static class ProofOfWork
{
    public const int NonceBytes = 8;
    private const int OutputBytes = 32;

    /// <summary>Whether <paramref name="nonce"/> solves the challenge at this difficulty.</summary>
    public static bool IsSolution(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> nonce, int bits, int iterations)
    {
        if (nonce.Length != NonceBytes || bits is < 0 or > 64 || iterations < 1) return false;
        Span<byte> output = stackalloc byte[OutputBytes];
        Rfc2898DeriveBytes.Pbkdf2(nonce, challenge, output, iterations, HashAlgorithmName.SHA256);
        return LeadingZeroBits(output) >= bits;
    }

    /// <summary>Tries nonces 0, 1, 2, … (big-endian) until one solves the challenge; about 2^Bits attempts.</summary>
    public static PuzzleProof Solve(PuzzleChallenge challenge, CancellationToken ct = default)
    {
        var nonce = new byte[NonceBytes];
        for (ulong n = 0; ; n++)
        {
            ct.ThrowIfCancellationRequested();
            BinaryPrimitives.WriteUInt64BigEndian(nonce, n);
            if (IsSolution(challenge.Challenge, nonce, challenge.Bits, challenge.Iterations)) return new PuzzleProof(challenge.Challenge, nonce);
        }
    }

    /// <summary>Solves off the calling thread.</summary>
    public static Task<PuzzleProof> SolveAsync(PuzzleChallenge challenge, CancellationToken ct = default) =>
        Task.Run(() => Solve(challenge, ct), ct);

    private static int LeadingZeroBits(ReadOnlySpan<byte> bytes)
    {
        var zeros = 0;
        foreach (var b in bytes)
        {
            if (b == 0) { zeros += 8; continue; }
            return zeros + System.Numerics.BitOperations.LeadingZeroCount(b) - 24;
        }
        return zeros;
    }
}
