namespace PeerLine.Protocol.E2E;

/// <summary>What an envelope carries: a Noise handshake message, or a transport message.</summary>
public enum EnvelopeType : byte { Handshake = 0x01, Transport = 0x02 }

/// <summary>Which way a message travels; bound into every transport message's associated data.</summary>
public enum Direction : byte { CallerToSupporter = 0x01, SupporterToCaller = 0x02 }

/// <summary>
/// The bytes the relay stores and forwards as "ciphertext": <c>version (1) | type (1) | body</c>.
/// A handshake body is a Noise handshake message; a transport body is AES-256-GCM ciphertext of a padded plaintext.
/// </summary>
public static class Envelope
{
    public const byte Version = 0x01;
    public const int HeaderSize = 2;

    public static byte[] Wrap(EnvelopeType type, ReadOnlySpan<byte> body)
    {
        var bytes = new byte[HeaderSize + body.Length];
        bytes[0] = Version;
        bytes[1] = (byte)type;
        body.CopyTo(bytes.AsSpan(HeaderSize));
        return bytes;
    }

    /// <summary>False for an unknown version or type, or a truncated envelope.</summary>
    public static bool TryUnwrap(ReadOnlySpan<byte> envelope, out EnvelopeType type, out ReadOnlySpan<byte> body)
    {
        type = default;
        body = default;
        if (envelope.Length < HeaderSize || envelope[0] != Version) return false;
        type = (EnvelopeType)envelope[1];
        if (type is not (EnvelopeType.Handshake or EnvelopeType.Transport)) return false;
        body = envelope[HeaderSize..];
        return true;
    }
}
