namespace PeerLine.Protocol.E2E;

/// <summary>
/// What an envelope carries: a Noise handshake message, a transport message, or a supporter's request that the caller
/// start a new handshake (the supporter's side lost its channel; docs/protocol.md §11.2).
/// </summary>
public enum EnvelopeType : byte { Handshake = 0x01, Transport = 0x02, RestartRequest = 0x03 }

/// <summary>Which way a message travels; bound into every transport message's associated data.</summary>
public enum Direction : byte { CallerToSupporter = 0x01, SupporterToCaller = 0x02, CallerToLead = 0x03, LeadToCaller = 0x04 }

/// <summary>Which staff member a caller's channel is with: the supporter holding the session, or a lead the caller let in.</summary>
public enum Party : byte { Supporter = 0x00, Lead = 0x01 }

/// <summary>
/// The bytes the relay stores and forwards as "ciphertext": <c>version (1) | type (1) | body</c>.
/// A handshake body is a Noise handshake message; a transport body is AES-256-GCM ciphertext of a padded plaintext.
/// </summary>
public static class Envelope
{
    /// <summary>
    /// Envelope format 2: transport plaintexts carry an end-to-end message id (<see cref="Padding"/>). Version 1 envelopes are rejected.
    /// </summary>
    public const byte Version = 0x02;
    public const int HeaderSize = 2;

    public static byte[] Wrap(EnvelopeType type, ReadOnlySpan<byte> body)
    {
        var bytes = new byte[HeaderSize + body.Length];
        bytes[0] = Version;
        bytes[1] = (byte)type;
        body.CopyTo(bytes.AsSpan(HeaderSize));
        return bytes;
    }

    /// <summary>
    /// <c>02 03</c>: "my side has no channel for this session, start a new handshake". Not authenticated: anyone on the
    /// path could send it, and all it can cause is a new handshake with the same certified supporter key.
    /// </summary>
    public static byte[] RestartRequest() => [Version, (byte)EnvelopeType.RestartRequest];

    public static bool IsRestartRequest(ReadOnlySpan<byte> envelope) =>
        envelope.Length == HeaderSize && envelope[0] == Version && envelope[1] == (byte)EnvelopeType.RestartRequest;

    /// <summary>False for an unknown version or type, a restart request (it is no channel message), or a truncated envelope.</summary>
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
