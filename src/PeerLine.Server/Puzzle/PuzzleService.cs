using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using NSec.Cryptography;
using PeerLine.Protocol.Puzzle;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Hosting;

namespace PeerLine.Server.Puzzle;

/// <summary>
/// Issues and checks the request puzzle. A challenge carries its own terms under a MAC, so nothing is stored per
/// challenge until it is answered: version 1 | issued-at (Unix seconds, 8 BE) | bits (1) | iterations (4 BE) |
/// 16 random bytes | the first 16 bytes of HMAC-SHA256 over the rest. The key lives in memory only and is new at each
/// start; outstanding challenges then fail, which clients answer by asking again.
/// </summary>
public sealed class PuzzleService(PuzzlePressure pressure, TimeProvider time, IOptionsMonitor<PuzzleOptions> options) : IDisposable
{
    public const int ChallengeLength = 46;
    private const byte Version = 1;
    private const int SignedLength = 30, RandomOffset = 14, RandomLength = 16, MacLength = 16;

    /// <summary>A challenge priced this many bits below the current price still counts: the price may rise while a caller solves.</summary>
    private const int StaleBitsAllowed = 1;

    private readonly Key _key = Key.Create(MacAlgorithm.HmacSha256);
    private readonly SpentChallenges _spent = new();

    public async Task<PuzzleChallenge> IssueAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var bits = await pressure.BitsAsync(ct);
        var challenge = new byte[ChallengeLength];
        challenge[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(challenge.AsSpan(1), time.GetUtcNow().ToUnixTimeSeconds());
        challenge[9] = (byte)bits;
        BinaryPrimitives.WriteInt32BigEndian(challenge.AsSpan(10), o.Iterations);
        RandomNumberGenerator.Fill(challenge.AsSpan(RandomOffset, RandomLength));
        Mac(challenge.AsSpan(0, SignedLength)).AsSpan(0, MacLength).CopyTo(challenge.AsSpan(SignedLength));
        return new PuzzleChallenge(challenge, bits, o.Iterations, o.ChallengeSeconds);
    }

    /// <summary>
    /// Accepts a proof once, or throws puzzle-failed. The cheap checks (shape, MAC, expiry, price, not yet used) come
    /// before the one PBKDF2 run; a challenge that passes them is spent even if its nonce is wrong.
    /// </summary>
    public async Task VerifyAsync(PuzzleProof? proof, CancellationToken ct)
    {
        if (proof is not { Challenge: { Length: ChallengeLength } challenge, Nonce: { Length: ProofOfWork.NonceBytes } nonce }
            || challenge[0] != Version
            || !CryptographicOperations.FixedTimeEquals(Mac(challenge.AsSpan(0, SignedLength)).AsSpan(0, MacLength), challenge.AsSpan(SignedLength)))
            throw Failed();

        var o = options.CurrentValue;
        var issuedAt = BinaryPrimitives.ReadInt64BigEndian(challenge.AsSpan(1));
        var bits = challenge[9];
        var iterations = BinaryPrimitives.ReadInt32BigEndian(challenge.AsSpan(10));
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var expiredBefore = now - o.ChallengeSeconds;
        if (issuedAt < expiredBefore || issuedAt > now + 1) throw Failed();
        // Challenges fetched in a calm moment must not buy a flood at the calm price.
        if (bits < await pressure.BitsAsync(ct) - StaleBitsAllowed) throw Failed();
        var id = BinaryPrimitives.ReadUInt128BigEndian(challenge.AsSpan(RandomOffset, RandomLength));
        if (!_spent.TrySpend(issuedAt, id, expiredBefore)) throw Failed();
        if (!ProofOfWork.IsSolution(challenge, nonce, bits, iterations)) throw Failed();
    }

    public void Dispose() => _key.Dispose();

    private byte[] Mac(ReadOnlySpan<byte> signed) => MacAlgorithm.HmacSha256.Mac(_key, signed);

    private static PeerLineException Failed() => new(ErrorCodes.PuzzleFailed);
}
