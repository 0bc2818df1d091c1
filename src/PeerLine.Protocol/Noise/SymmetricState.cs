using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using HashAlgorithm = NSec.Cryptography.HashAlgorithm;

namespace PeerLine.Protocol.Noise;

/// <summary>The Noise SymmetricState over SHA-256 and HKDF-SHA256 (NSec).</summary>
internal sealed class SymmetricState : IDisposable
{
    public const int HashLength = 32;
    private byte[] _ck;
    private byte[] _h;
    private bool _split;

    public SymmetricState(string protocolName)
    {
        var name = Encoding.ASCII.GetBytes(protocolName);
        _h = name.Length <= HashLength ? [.. name, .. new byte[HashLength - name.Length]] : HashAlgorithm.Sha256.Hash(name);
        _ck = (byte[])_h.Clone();
        Cipher = new CipherState();
    }

    public CipherState Cipher { get; }

    public byte[] HandshakeHash => (byte[])_h.Clone();

    /// <summary>The live chaining key array, not a copy: tests check that it is zeroed when it is replaced, split or disposed.</summary>
    public ReadOnlyMemory<byte> ChainingKeyInUse => _ck;

    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        var output = Hkdf(inputKeyMaterial, 2);
        ReplaceChainingKey(output[..HashLength]);
        Cipher.InitializeKey(output[HashLength..]);
        CryptographicOperations.ZeroMemory(output);
    }

    public void MixHash(ReadOnlySpan<byte> data) => _h = HashAlgorithm.Sha256.Hash([.. _h, .. data]);

    public void MixKeyAndHash(ReadOnlySpan<byte> inputKeyMaterial)
    {
        var output = Hkdf(inputKeyMaterial, 3);
        ReplaceChainingKey(output[..HashLength]);
        MixHash(output.AsSpan(HashLength, HashLength));
        Cipher.InitializeKey(output[(2 * HashLength)..]);
        CryptographicOperations.ZeroMemory(output);
    }

    public byte[] EncryptAndHash(ReadOnlySpan<byte> plaintext)
    {
        var ciphertext = Cipher.EncryptWithAd(_h, plaintext);
        MixHash(ciphertext);
        return ciphertext;
    }

    public byte[]? DecryptAndHash(ReadOnlySpan<byte> ciphertext)
    {
        var plaintext = Cipher.DecryptWithAd(_h, ciphertext);
        if (plaintext is not null) MixHash(ciphertext);
        return plaintext;
    }

    /// <summary>
    /// The two transport states. The handshake's secrets are spent then: the chaining key and the handshake cipher's
    /// key are zeroed (the handshake hash stays readable), and a second split throws.
    /// </summary>
    public (CipherState First, CipherState Second) Split()
    {
        if (_split) throw new InvalidOperationException("This handshake was split already.");
        var output = Hkdf([], 2);
        var states = (new CipherState(output[..HashLength]), new CipherState(output[HashLength..]));
        CryptographicOperations.ZeroMemory(output);
        CryptographicOperations.ZeroMemory(_ck);
        Cipher.Dispose();
        _split = true;
        return states;
    }

    private void ReplaceChainingKey(byte[] next)
    {
        if (_split) throw new InvalidOperationException("This handshake was split already.");
        CryptographicOperations.ZeroMemory(_ck);
        _ck = next;
    }

    // Noise's HKDF(ck, ikm, n) is RFC 5869 HKDF-SHA256 with ck as salt, an empty info, and n hash lengths of output.
    // NSec refuses empty input keying material, which Split() uses; the .NET HKDF computes the same function there.
    private byte[] Hkdf(ReadOnlySpan<byte> inputKeyMaterial, int outputs) => inputKeyMaterial.IsEmpty
        ? HKDF.DeriveKey(HashAlgorithmName.SHA256, [], outputs * HashLength, _ck, [])
        : KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(inputKeyMaterial, _ck, [], outputs * HashLength);

    /// <summary>Zeroes the chaining key and the handshake cipher's key.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_ck);
        Cipher.Dispose();
    }
}
