using System.Buffers.Binary;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace PeerLine.Protocol.Noise;

/// <summary>
/// The AESGCM cipher of the Noise spec: a 32-byte key, a 12-byte nonce of four zero bytes and the 64-bit counter
/// big-endian, a 16-byte tag. libsodium (through NSec) where the CPU has AES-NI, the .NET AesGcm otherwise.
/// </summary>
internal static class Aes256GcmCipher
{
    public const int KeySize = 32;
    public const int TagSize = 16;

    public static byte[] Encrypt(ReadOnlySpan<byte> key, ulong counter, ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext) =>
        Encrypt(key, counter, ad, plaintext, Aes256Gcm.IsSupported);

    public static byte[]? Decrypt(ReadOnlySpan<byte> key, ulong counter, ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext) =>
        Decrypt(key, counter, ad, ciphertext, Aes256Gcm.IsSupported);

    /// <summary><paramref name="libsodium"/> false takes the .NET path (tests hold both to the same bytes).</summary>
    internal static byte[] Encrypt(ReadOnlySpan<byte> key, ulong counter, ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext, bool libsodium)
    {
        Span<byte> nonce = stackalloc byte[12];
        Nonce(counter, nonce);
        var output = new byte[plaintext.Length + TagSize];
        if (libsodium)
        {
            using var k = Key.Import(AeadAlgorithm.Aes256Gcm, key, KeyBlobFormat.RawSymmetricKey);
            AeadAlgorithm.Aes256Gcm.Encrypt(k, nonce, ad, plaintext, output);
        }
        else
        {
            using var aes = new System.Security.Cryptography.AesGcm(key, TagSize);
            aes.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), ad);
        }
        return output;
    }

    /// <summary>Null when the tag does not authenticate (tampered, wrong key, wrong nonce or wrong associated data).</summary>
    internal static byte[]? Decrypt(ReadOnlySpan<byte> key, ulong counter, ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext, bool libsodium)
    {
        if (ciphertext.Length < TagSize) return null;
        Span<byte> nonce = stackalloc byte[12];
        Nonce(counter, nonce);
        var output = new byte[ciphertext.Length - TagSize];
        if (libsodium)
        {
            using var k = Key.Import(AeadAlgorithm.Aes256Gcm, key, KeyBlobFormat.RawSymmetricKey);
            return AeadAlgorithm.Aes256Gcm.Decrypt(k, nonce, ad, ciphertext, output) ? output : null;
        }
        try
        {
            using var aes = new System.Security.Cryptography.AesGcm(key, TagSize);
            aes.Decrypt(nonce, ciphertext[..^TagSize], ciphertext[^TagSize..], output, ad);
            return output;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static void Nonce(ulong counter, Span<byte> nonce)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], counter);
    }
}
