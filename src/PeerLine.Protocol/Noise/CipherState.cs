using System.Security.Cryptography;

namespace PeerLine.Protocol.Noise;

/// <summary>The Noise CipherState: a key and a nonce counter that never repeats.</summary>
public sealed class CipherState : IDisposable
{
    private byte[]? _key;
    private ulong _nonce;
    private bool _disposed;

    internal CipherState(byte[]? key = null) => InitializeKey(key);

    /// <summary>
    /// A transport state that continues where an exported one stood: <paramref name="key"/> (copied) and the next
    /// nonce <paramref name="nonce"/>. The caller must never let two live states hold the same key and nonce.
    /// </summary>
    internal static CipherState Resume(ReadOnlySpan<byte> key, ulong nonce)
    {
        if (key.Length != Aes256GcmCipher.KeySize) throw new ArgumentException("A cipher key is 32 bytes.", nameof(key));
        return new CipherState(key.ToArray()) { _nonce = nonce };
    }

    public bool HasKey => _key is not null;

    /// <summary>The next nonce this state will use (the count of messages it has processed).</summary>
    public ulong Nonce => _nonce;

    /// <summary>The live key array, not a copy: tests check that it is zeroed when it is replaced or disposed.</summary>
    internal ReadOnlyMemory<byte> KeyInUse => _key;

    /// <summary>A copy of the key, for persisting a transport state (see <see cref="Resume"/>).</summary>
    internal byte[] ExportKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (byte[])(_key ?? throw new InvalidOperationException("This cipher state has no key.")).Clone();
    }

    internal void InitializeKey(byte[]? key)
    {
        if (key is not null && key.Length != Aes256GcmCipher.KeySize) throw new ArgumentException("A cipher key is 32 bytes.", nameof(key));
        if (_key is not null && !ReferenceEquals(_key, key)) CryptographicOperations.ZeroMemory(_key);
        _key = key;
        _nonce = 0;
    }

    public byte[] EncryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_key is null) return plaintext.ToArray();
        EnsureNonceLeft();
        return Aes256GcmCipher.Encrypt(_key, _nonce++, ad, plaintext);
    }

    /// <summary>Null when authentication fails; the nonce then does not advance.</summary>
    public byte[]? DecryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_key is null) return ciphertext.ToArray();
        EnsureNonceLeft();
        var plaintext = Aes256GcmCipher.Decrypt(_key, _nonce, ad, ciphertext);
        if (plaintext is not null) _nonce++;
        return plaintext;
    }

    /// <summary>Zeroes the key; encrypting or decrypting afterwards throws (it never falls back to the keyless pass-through).</summary>
    public void Dispose()
    {
        if (_key is not null) CryptographicOperations.ZeroMemory(_key);
        _key = null;
        _disposed = true;
    }

    // 2^64-1 is reserved by the spec; no conversation gets near it, but the state refuses rather than wraps.
    private void EnsureNonceLeft()
    {
        if (_nonce == ulong.MaxValue) throw new InvalidOperationException("Cipher nonce exhausted.");
    }
}
