namespace PeerLine.Protocol.Noise;

/// <summary>The Noise CipherState: a key and a nonce counter that never repeats.</summary>
public sealed class CipherState
{
    private byte[]? _key;
    private ulong _nonce;

    internal CipherState(byte[]? key = null) => InitializeKey(key);

    public bool HasKey => _key is not null;

    /// <summary>The next nonce this state will use (the count of messages it has processed).</summary>
    public ulong Nonce => _nonce;

    internal void InitializeKey(byte[]? key)
    {
        if (key is not null && key.Length != Aes256GcmCipher.KeySize) throw new ArgumentException("A cipher key is 32 bytes.", nameof(key));
        _key = key;
        _nonce = 0;
    }

    public byte[] EncryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext)
    {
        if (_key is null) return plaintext.ToArray();
        EnsureNonceLeft();
        return Aes256GcmCipher.Encrypt(_key, _nonce++, ad, plaintext);
    }

    /// <summary>Null when authentication fails; the nonce then does not advance.</summary>
    public byte[]? DecryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext)
    {
        if (_key is null) return ciphertext.ToArray();
        EnsureNonceLeft();
        var plaintext = Aes256GcmCipher.Decrypt(_key, _nonce, ad, ciphertext);
        if (plaintext is not null) _nonce++;
        return plaintext;
    }

    // 2^64-1 is reserved by the spec; no conversation gets near it, but the state refuses rather than wraps.
    private void EnsureNonceLeft()
    {
        if (_nonce == ulong.MaxValue) throw new InvalidOperationException("Cipher nonce exhausted.");
    }
}
