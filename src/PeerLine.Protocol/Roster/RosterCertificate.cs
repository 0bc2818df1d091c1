using System.Buffers.Binary;
using System.Text;
using NSec.Cryptography;

namespace PeerLine.Protocol.Roster;

/// <summary>
/// A supporter device's X25519 public key, signed by the organisation's Ed25519 roster key. Encoding (all integers
/// big-endian): <c>"PLRC" | version (1) = 1 | key id (16) | X25519 public key (32) | not before (8, Unix seconds) |
/// not after (8) | handle length (1) | handle (UTF-8) | Ed25519 signature (64) over everything before it</c>.
/// </summary>
public sealed record RosterCertificate(byte[] KeyId, byte[] StaticKey, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Handle)
{
    private static readonly byte[] Magic = "PLRC"u8.ToArray();
    public const byte Version = 1;
    public const int KeyIdSize = 16;
    public const int MaxHandleBytes = 64;
    private const int SignatureSize = 64;

    public string KeyIdHex => Convert.ToHexString(KeyId).ToLowerInvariant();

    /// <summary>A device key's id: the first 16 bytes of SHA-256 of its X25519 public key.</summary>
    public static byte[] KeyIdFor(ReadOnlySpan<byte> staticKey) => HashAlgorithm.Sha256.Hash(staticKey)[..KeyIdSize];

    /// <summary>Signs this certificate with the roster key.</summary>
    public byte[] Sign(Key rosterKey)
    {
        var body = Body();
        return [.. body, .. SignatureAlgorithm.Ed25519.Sign(rosterKey, body)];
    }

    private byte[] Body()
    {
        if (KeyId.Length != KeyIdSize || StaticKey.Length != 32) throw new ArgumentException("Key id is 16 bytes and the static key 32.");
        var handle = Encoding.UTF8.GetBytes(Handle);
        if (handle.Length > MaxHandleBytes) throw new ArgumentException($"A handle is at most {MaxHandleBytes} bytes.");
        var body = new byte[Magic.Length + 1 + KeyIdSize + 32 + 8 + 8 + 1 + handle.Length];
        var span = body.AsSpan();
        Magic.CopyTo(span);
        span[4] = Version;
        KeyId.CopyTo(span[5..]);
        StaticKey.CopyTo(span[21..]);
        BinaryPrimitives.WriteInt64BigEndian(span[53..], NotBefore.ToUnixTimeSeconds());
        BinaryPrimitives.WriteInt64BigEndian(span[61..], NotAfter.ToUnixTimeSeconds());
        span[69] = (byte)handle.Length;
        handle.CopyTo(span[70..]);
        return body;
    }

    /// <summary>Parses and checks the signature against the pinned roster public key; null when either fails.</summary>
    public static RosterCertificate? Verify(ReadOnlySpan<byte> signedBytes, PublicKey rosterPublicKey)
    {
        if (signedBytes.Length < 70 + SignatureSize || !signedBytes[..4].SequenceEqual(Magic) || signedBytes[4] != Version) return null;
        int handleLength = signedBytes[69];
        if (handleLength > MaxHandleBytes || signedBytes.Length != 70 + handleLength + SignatureSize) return null;
        var body = signedBytes[..^SignatureSize];
        if (!SignatureAlgorithm.Ed25519.Verify(rosterPublicKey, body, signedBytes[^SignatureSize..])) return null;
        // The key id names the key for revocation, so it must be that key's id and no other.
        if (!body.Slice(5, KeyIdSize).SequenceEqual(KeyIdFor(body.Slice(21, 32)))) return null;

        string handle;
        try { handle = new UTF8Encoding(false, true).GetString(body.Slice(70, handleLength)); }
        catch (DecoderFallbackException) { return null; }
        return new RosterCertificate(
            body.Slice(5, KeyIdSize).ToArray(),
            body.Slice(21, 32).ToArray(),
            DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(body[53..])),
            DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(body[61..])),
            handle);
    }
}
