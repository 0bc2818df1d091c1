using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace PeerLine.Protocol.Audit;

/// <summary>
/// A signed statement "the trail held <see cref="Size"/> records ending in <see cref="Head"/>", as a C2SP
/// tlog-checkpoint signed note: origin, size, base64 head hash, one extension line "time …", a blank line, and an
/// Ed25519 signature line "— origin base64(key id ‖ signature)" (key id: the first four bytes of
/// SHA-256(origin ‖ 0x0A ‖ 0x01 ‖ public key)).
/// </summary>
public sealed record AuditCheckpoint(string Origin, long Size, byte[] Head, DateTimeOffset SignedAt)
{
    private const string SignatureDash = "\u2014 ";
    private const byte Ed25519Type = 0x01;
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm'Z'";

    public string Body =>
        $"{Origin}\n{Size.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(Head)}\n"
        + $"time {SignedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}\n";

    public string Sign(Key key)
    {
        var body = Body;
        var signature = SignatureAlgorithm.Ed25519.Sign(key, Encoding.UTF8.GetBytes(body));
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        return $"{body}\n{SignatureDash}{Origin} {Convert.ToBase64String([.. KeyId(Origin, publicKey), .. signature])}\n";
    }

    public static byte[] KeyId(string name, byte[] publicKey) =>
        SHA256.HashData([.. Encoding.UTF8.GetBytes(name), 0x0A, Ed25519Type, .. publicKey])[..4];

    /// <summary>Parses a signed note and checks its signature by <paramref name="publicKey"/>; null with a reason otherwise.</summary>
    public static AuditCheckpoint? Verify(string signedNote, byte[] publicKey, out string? problem)
    {
        problem = "malformed checkpoint note";
        var split = signedNote.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0) return null;
        var body = signedNote[..(split + 1)];
        var lines = body.Split('\n');
        // origin, size, hash, time, and the empty string after the final newline
        if (lines.Length != 5 || lines[0].Length == 0 || !lines[3].StartsWith("time ", StringComparison.Ordinal)) return null;
        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1) return null;
        var head = new byte[AuditRecord.HashBytes];
        if (!Convert.TryFromBase64String(lines[2], head, out var headLength) || headLength != head.Length) return null;
        if (!DateTimeOffset.TryParseExact(lines[3][5..], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return null;
        var checkpoint = new AuditCheckpoint(lines[0], size, head, at);
        if (checkpoint.Body != body) return null;

        var expectedId = KeyId(checkpoint.Origin, publicKey);
        var prefix = SignatureDash + checkpoint.Origin + " ";
        foreach (var line in signedNote[(split + 2)..].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var blob = new byte[4 + AuditRecord.SignatureBytes];
            if (!Convert.TryFromBase64String(line[prefix.Length..], blob, out var n) || n != blob.Length) continue;
            if (!blob.AsSpan(0, 4).SequenceEqual(expectedId)) continue;
            var key = PublicKey.Import(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey);
            if (!SignatureAlgorithm.Ed25519.Verify(key, Encoding.UTF8.GetBytes(body), blob.AsSpan(4)))
            {
                problem = "the checkpoint signature does not verify";
                return null;
            }
            problem = null;
            return checkpoint;
        }
        problem = "the checkpoint has no signature by this key";
        return null;
    }
}
