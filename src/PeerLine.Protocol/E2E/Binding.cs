using System.Buffers.Binary;
using System.Text;

namespace PeerLine.Protocol.E2E;

/// <summary>The bytes that tie a handshake and each transport message to one session, one direction and one place.</summary>
public static class Binding
{
    public const string ProtocolName = "Noise_XK_25519_AESGCM_SHA256";
    private static readonly byte[] Label = "PeerLine-E2E-v2"u8.ToArray();

    /// <summary>
    /// Prologue: <c>"PeerLine-E2E-v2" | party (0x00 supporter, 0x01 lead) | session id (UTF-8)</c>. A handshake for another
    /// session, or for the other staff party of the same session, fails.
    /// </summary>
    public static byte[] Prologue(string sessionId, Party party = Party.Supporter) => [.. Label, (byte)party, .. Encoding.UTF8.GetBytes(sessionId)];

    /// <summary>
    /// Associated data of a transport message: <c>"PeerLine-E2E-v2" | 0x00 | direction (1) | seq (8, big-endian) | session id (UTF-8)</c>,
    /// where seq is the relay sequence number the envelope travels under.
    /// </summary>
    public static byte[] AssociatedData(string sessionId, Direction direction, long seq)
    {
        var id = Encoding.UTF8.GetBytes(sessionId);
        var ad = new byte[Label.Length + 1 + 1 + 8 + id.Length];
        Label.CopyTo(ad, 0);
        ad[Label.Length + 1] = (byte)direction;
        BinaryPrimitives.WriteInt64BigEndian(ad.AsSpan(Label.Length + 2), seq);
        id.CopyTo(ad, Label.Length + 10);
        return ad;
    }
}
