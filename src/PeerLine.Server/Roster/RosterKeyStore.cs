using Microsoft.Extensions.Options;
using NSec.Cryptography;
using PeerLine.Protocol.Roster;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Roster;

/// <summary>The roster key as the server holds it: the public key always, the signing key only in server mode.</summary>
public interface IRosterAuthority
{
    /// <summary>The 32-byte Ed25519 public key clients pin.</summary>
    byte[] PublicKey { get; }

    /// <summary>Signs a certificate; null when the signing key is kept offline.</summary>
    byte[]? Sign(RosterCertificate certificate);
}

/// <summary>
/// Single box: the organisation's Ed25519 roster key, created at first start in the data directory and readable by
/// the server's user only. Whoever holds this file can certify supporter keys (see the threat model).
/// </summary>
public sealed class RosterKeyStore : IRosterAuthority, IDisposable
{
    private readonly Key _key;

    public RosterKeyStore(StorageOptions storage, IOptions<RosterOptions> options)
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
            OwnerOnlyFile.Write(path, _key.Export(KeyBlobFormat.RawPrivateKey));
        }
        PublicKey = _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    public byte[] PublicKey { get; }

    public byte[]? Sign(RosterCertificate certificate) => certificate.Sign(_key);

    public void Dispose() => _key.Dispose();
}

/// <summary>Offline mode: the server verifies certificates against the configured public key and never signs.</summary>
public sealed class OfflineRoster(IOptions<RosterOptions> options) : IRosterAuthority
{
    public byte[] PublicKey { get; } = Convert.FromBase64String(options.Value.PublicKey ?? "");

    public byte[]? Sign(RosterCertificate certificate) => null;
}

public static class OwnerOnlyFile
{
    /// <summary>Creates a new file readable and writable by its owner only; refuses to overwrite.</summary>
    public static void Write(string path, byte[] bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var file = new FileStream(path, options);
        file.Write(bytes);
    }
}
