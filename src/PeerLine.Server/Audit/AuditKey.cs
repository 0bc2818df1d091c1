using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NSec.Cryptography;
using PeerLine.Protocol.Audit;
using PeerLine.Server.Roster;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Audit;

/// <summary>
/// The audit key: an Ed25519 key in the data directory (owner-only, separate from the roster key) that signs every
/// record and checkpoint, and from which (HKDF) the key of the pseudonyms is derived.
/// </summary>
public sealed class AuditKey : IDisposable
{
    private static readonly byte[] PseudonymInfo = "peerline audit pseudonyms v1"u8.ToArray();
    private readonly Key _key;
    private readonly byte[] _pseudonymKey;

    public AuditKey(StorageOptions storage, IOptions<AuditOptions> options)
    {
        var path = Path.Combine(storage.DataDirectory, options.Value.KeyFile);
        var creation = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        byte[] seed;
        if (!File.Exists(path))
        {
            using var created = Key.Create(SignatureAlgorithm.Ed25519, creation);
            // Another process (an admin command) may create it at the same moment: the first file wins.
            try { OwnerOnlyFile.Write(path, created.Export(KeyBlobFormat.RawPrivateKey)); }
            catch (IOException) when (File.Exists(path)) { }
        }
        seed = File.ReadAllBytes(path);
        _key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, creation);
        _pseudonymKey = KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(seed, [], PseudonymInfo, 32);
        PublicKey = _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    public byte[] PublicKey { get; }

    public byte[] SignRecord(byte[] hash) => SignatureAlgorithm.Ed25519.Sign(_key, AuditEncoding.SigningInput(hash));

    public string SignCheckpoint(AuditCheckpoint checkpoint) => checkpoint.Sign(_key);

    /// <summary>
    /// A stable pseudonym for a live id: HMAC-SHA256 under the derived key, 12 bytes, written with the 16 letters
    /// "cbdefghijklnrtuv" (no digits, so an export never holds a number-like identifier).
    /// </summary>
    public string Pseudonym(string label, string id)
    {
        var mac = HMACSHA256.HashData(_pseudonymKey, Encoding.UTF8.GetBytes(label + ":" + id));
        const string letters = "cbdefghijklnrtuv";
        return string.Create(24, mac, (span, m) =>
        {
            for (var i = 0; i < 12; i++)
            {
                span[2 * i] = letters[m[i] >> 4];
                span[2 * i + 1] = letters[m[i] & 0x0F];
            }
        });
    }

    public void Dispose() => _key.Dispose();
}
