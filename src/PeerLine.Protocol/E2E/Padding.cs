using System.Buffers.Binary;

namespace PeerLine.Protocol.E2E;

/// <summary>
/// Transport plaintexts are padded so a whole envelope is exactly one of a few sizes: the relay learns a bucket,
/// not a length. Padded plaintext: <c>length (2, big-endian) | content | zeros</c>.
/// </summary>
public static class Padding
{
    /// <summary>Envelope sizes in bytes, including the 2-byte header and the 16-byte tag.</summary>
    public static readonly IReadOnlyList<int> Buckets = [256, 1024, 4096, 16384];

    public const int Overhead = Envelope.HeaderSize + 16 + 2;

    public static int MaxContent => Buckets[^1] - Overhead;

    public static byte[] Pad(ReadOnlySpan<byte> content)
    {
        if (content.Length > MaxContent) throw new ArgumentException($"Content is limited to {MaxContent} bytes.", nameof(content));
        var length = content.Length;
        var bucket = Buckets.First(b => b - Overhead >= length);
        var padded = new byte[bucket - Envelope.HeaderSize - 16];
        BinaryPrimitives.WriteUInt16BigEndian(padded, (ushort)content.Length);
        content.CopyTo(padded.AsSpan(2));
        return padded;
    }

    /// <summary>Null when the length prefix does not fit or the padding is not all zeros.</summary>
    public static byte[]? Unpad(ReadOnlySpan<byte> padded)
    {
        if (padded.Length < 2) return null;
        int length = BinaryPrimitives.ReadUInt16BigEndian(padded);
        if (length > padded.Length - 2 || padded[(2 + length)..].ContainsAnyExcept((byte)0)) return null;
        return padded.Slice(2, length).ToArray();
    }
}
