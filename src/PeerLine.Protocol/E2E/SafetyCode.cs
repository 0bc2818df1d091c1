using System.Buffers.Binary;
using NSec.Cryptography;

namespace PeerLine.Protocol.E2E;

/// <summary>
/// Twelve digits both sides can read aloud: SHA-256("PeerLine-safety-code-v1" | handshake hash), first 8 bytes
/// as a big-endian integer modulo 10^12, shown as three groups of four.
/// </summary>
public static class SafetyCode
{
    public static string From(ReadOnlySpan<byte> handshakeHash)
    {
        var digest = HashAlgorithm.Sha256.Hash([.. "PeerLine-safety-code-v1"u8, .. handshakeHash]);
        var value = BinaryPrimitives.ReadUInt64BigEndian(digest) % 1_000_000_000_000UL;
        var digits = value.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
        return $"{digits[..4]} {digits[4..8]} {digits[8..]}";
    }
}
