using NSec.Cryptography;
using PeerLine.Protocol.Noise;

namespace PeerLine.Tests.Noise;

/// <summary>Where the CPU lacks AES-NI the .NET AesGcm takes over; both paths must give the same bytes.</summary>
public sealed class AesGcmFallbackTests
{
    [SkippableTheory]
    [InlineData(0, 0)]
    [InlineData(1, 17)]
    [InlineData(ulong.MaxValue - 1, 1000)]
    public void BothPaths_SameCiphertext_AndEachOpensTheOther(ulong counter, int length)
    {
        Skip.IfNot(Aes256Gcm.IsSupported, "This CPU lacks AES-NI: libsodium's path does not exist here, nothing to compare the .NET path against.");
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var ad = "associated"u8.ToArray();
        var plaintext = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

        var sodium = Aes256GcmCipher.Encrypt(key, counter, ad, plaintext, libsodium: true);
        var managed = Aes256GcmCipher.Encrypt(key, counter, ad, plaintext, libsodium: false);

        Assert.Equal(sodium, managed);
        Assert.Equal(plaintext, Aes256GcmCipher.Decrypt(key, counter, ad, sodium, libsodium: false));
        Assert.Equal(plaintext, Aes256GcmCipher.Decrypt(key, counter, ad, managed, libsodium: true));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EitherPath_TamperedTag_Null(bool libsodium)
    {
        var key = new byte[32];
        var sealedBytes = Aes256GcmCipher.Encrypt(key, 0, [], "x"u8, libsodium: false);
        sealedBytes[^1] ^= 1;
        Assert.Null(Aes256GcmCipher.Decrypt(key, 0, [], sealedBytes, libsodium));
    }
}
