using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PeerLine.Server.Roster;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Continuity;

/// <summary>
/// The server's secret for return codes, created at first start in the data directory (owner-only). Without it, the
/// stored tags cannot be matched against guessed lookup values.
/// </summary>
public sealed class ReturnCodeKey
{
    private readonly byte[] _key;

    public ReturnCodeKey(StorageOptions storage, IOptions<ContinuityOptions> options)
    {
        var path = Path.Combine(storage.DataDirectory, options.Value.KeyFile);
        if (File.Exists(path)) _key = File.ReadAllBytes(path);
        else
        {
            _key = RandomNumberGenerator.GetBytes(32);
            OwnerOnlyFile.Write(path, _key);
        }
    }

    /// <summary>HMAC-SHA256 of the caller's 32-byte lookup value.</summary>
    public byte[] Tag(byte[] lookup) => HMACSHA256.HashData(_key, lookup);
}
