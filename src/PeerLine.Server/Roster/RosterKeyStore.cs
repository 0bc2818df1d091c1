using NSec.Cryptography;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Roster;

/// <summary>
/// The organisation's Ed25519 roster key on a single box: created at first start in the data directory, readable by
/// the server's user only. Whoever holds this file can certify supporter keys (see the threat model).
/// </summary>
public sealed class RosterKeyStore : IDisposable
{
    private readonly Key _key;

    public RosterKeyStore(StorageOptions storage, Microsoft.Extensions.Options.IOptions<RosterOptions> options)
    {
        var path = Path.Combine(storage.DataDirectory, options.Value.KeyFile);
        var creation = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        if (File.Exists(path))
        {
            _key = Key.Import(SignatureAlgorithm.Ed25519, File.ReadAllBytes(path), KeyBlobFormat.RawPrivateKey, creation);
        }
        else
        {
            _key = Key.Create(SignatureAlgorithm.Ed25519, creation);
            var options600 = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options600.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new FileStream(path, options600);
            file.Write(_key.Export(KeyBlobFormat.RawPrivateKey));
        }
        PublicKey = _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The 32-byte Ed25519 public key clients pin.</summary>
    public byte[] PublicKey { get; }

    public byte[] Sign(PeerLine.Protocol.Roster.RosterCertificate certificate) => certificate.Sign(_key);

    public void Dispose() => _key.Dispose();
}
