using System.Buffers.Binary;

namespace PeerLine.Protocol.E2E;

/// <summary>
/// Transport plaintexts are padded so a whole envelope is exactly one of a few sizes: the relay learns a bucket,
/// not a length. Padded plaintext: <c>message id (16) | length L (2, big-endian) | content (L) | zeros</c>. The message
/// id is the end-to-end id the sender gave the message; it is authenticated with the content and the server never
/// sees it.
/// </summary>
public static class Padding
{
    /// <summary>Envelope sizes in bytes, including the 2-byte header and the 16-byte tag.</summary>
    public static readonly IReadOnlyList<int> Buckets = [256, 1024, 4096, 16384];

    public const int MessageIdSize = 16;

    /// <summary>Bytes of an envelope that are not content: header (2), tag (16), message id (16), length (2).</summary>
    public const int Overhead = Envelope.HeaderSize + TagSize + MessageIdSize + LengthSize;

    /// <summary>The largest content one message carries: 16348 bytes.</summary>
    public const int MaxContent = 16384 - Overhead;

    private const int TagSize = 16;
    private const int LengthSize = 2;
    private const int MinPadded = MessageIdSize + LengthSize;

    public static byte[] Pad(ReadOnlySpan<byte> messageId, ReadOnlySpan<byte> content)
    {
        if (messageId.Length != MessageIdSize) throw new ArgumentException($"A message id is {MessageIdSize} bytes.", nameof(messageId));
        if (content.Length > MaxContent) throw new ArgumentException($"Content is limited to {MaxContent} bytes.", nameof(content));
        var length = content.Length;
        var bucket = Buckets.First(b => b - Overhead >= length);
        var padded = new byte[bucket - Envelope.HeaderSize - TagSize];
        messageId.CopyTo(padded);
        BinaryPrimitives.WriteUInt16BigEndian(padded.AsSpan(MessageIdSize), (ushort)length);
        content.CopyTo(padded.AsSpan(MinPadded));
        return padded;
    }

    /// <summary>Null when the plaintext is shorter than 18 bytes, the length does not fit, or the padding is not all zeros.</summary>
    public static (byte[] MessageId, byte[] Content)? Unpad(ReadOnlySpan<byte> padded)
    {
        if (padded.Length < MinPadded) return null;
        int length = BinaryPrimitives.ReadUInt16BigEndian(padded[MessageIdSize..]);
        if (length > padded.Length - MinPadded || padded[(MinPadded + length)..].ContainsAnyExcept((byte)0)) return null;
        return (padded[..MessageIdSize].ToArray(), padded.Slice(MinPadded, length).ToArray());
    }
}
