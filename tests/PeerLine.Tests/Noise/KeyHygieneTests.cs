using System.Security.Cryptography;
using NSec.Cryptography;
using PeerLine.Protocol.E2E;
using PeerLine.Protocol.Noise;

namespace PeerLine.Tests.Noise;

/// <summary>Key material is zeroed where it stops being needed: replaced, split or disposed.</summary>
public sealed class KeyHygieneTests
{
    private const string Xk = "Noise_XK_25519_AESGCM_SHA256";

    [Fact]
    public void CipherState_Disposed_ZeroesItsKeyAndRefusesToEncrypt()
    {
        var key = RandomNumberGenerator.GetBytes(Aes256GcmCipher.KeySize);
        var state = new CipherState(key);
        state.EncryptWithAd([], [1, 2, 3]);
        AssertSecret(state.KeyInUse);

        state.Dispose();

        AssertZero(key);
        Assert.Throws<ObjectDisposedException>(() => state.EncryptWithAd([], [1, 2, 3]));
    }

    [Fact]
    public void CipherState_NewKey_ZeroesTheKeyItReplaces()
    {
        var old = RandomNumberGenerator.GetBytes(Aes256GcmCipher.KeySize);
        using var state = new CipherState(old);

        state.InitializeKey(RandomNumberGenerator.GetBytes(Aes256GcmCipher.KeySize));

        AssertZero(old);
        AssertSecret(state.KeyInUse);
    }

    [Fact]
    public void SymmetricState_MixKeyAndMixKeyAndHash_ZeroThePreviousChainingKey()
    {
        using var symmetric = new SymmetricState(Xk);
        symmetric.MixKey(RandomNumberGenerator.GetBytes(32));
        var first = symmetric.ChainingKeyInUse;
        AssertSecret(first);

        symmetric.MixKey(RandomNumberGenerator.GetBytes(32));
        AssertZero(first);

        var second = symmetric.ChainingKeyInUse;
        AssertSecret(second);
        symmetric.MixKeyAndHash(RandomNumberGenerator.GetBytes(32));
        AssertZero(second);
        AssertSecret(symmetric.ChainingKeyInUse);
    }

    [Fact]
    public void SymmetricState_Split_ZeroesTheChainingKeyAndTheHandshakeKey_TransportKeysLive()
    {
        using var symmetric = new SymmetricState(Xk);
        symmetric.MixKey(RandomNumberGenerator.GetBytes(32));
        var chainingKey = symmetric.ChainingKeyInUse;
        var handshakeKey = symmetric.Cipher.KeyInUse;
        AssertSecret(chainingKey);
        AssertSecret(handshakeKey);

        var (first, second) = symmetric.Split();

        AssertZero(chainingKey);
        AssertZero(handshakeKey);
        AssertSecret(first.KeyInUse);
        AssertSecret(second.KeyInUse);
        Assert.Throws<InvalidOperationException>(() => symmetric.Split());
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public void HandshakeState_DisposedMidway_ZeroesItsChainingKeyAndHandshakeKey()
    {
        using var responderKey = Key.Create(KeyAgreementAlgorithm.X25519);
        using var initiatorKey = Key.Create(KeyAgreementAlgorithm.X25519);
        var initiator = new HandshakeState(Xk, new HandshakeOptions
        {
            Initiator = true,
            LocalStatic = initiatorKey,
            RemoteStatic = responderKey.PublicKey.Export(KeyBlobFormat.RawPublicKey),
        });
        initiator.WriteMessage([]);
        var chainingKey = initiator.Symmetric.ChainingKeyInUse;
        var handshakeKey = initiator.Symmetric.Cipher.KeyInUse;
        AssertSecret(chainingKey);
        AssertSecret(handshakeKey);

        initiator.Dispose();

        AssertZero(chainingKey);
        AssertZero(handshakeKey);
    }

    [Fact]
    public void SecureChannel_Disposed_ZeroesBothTransportKeys()
    {
        using var supporterKey = Key.Create(KeyAgreementAlgorithm.X25519);
        using var episodeKey = Key.Create(KeyAgreementAlgorithm.X25519);
        const string session = "a2V5LWh5Z2llbmU";
        using var supporter = SecureChannel.ForSupporter(session, supporterKey);
        var caller = SecureChannel.ForCaller(session, supporterKey.PublicKey.Export(KeyBlobFormat.RawPublicKey), episodeKey);
        var message2 = supporter.Receive(caller.Start(), 1).Reply!;
        var message3 = caller.Receive(message2, 1).Reply!;
        Assert.Equal(ChannelOutcome.Handshake, supporter.Receive(message3, 1).Outcome);
        Assert.True(caller.IsEstablished);
        var (send, receive) = caller.TransportStates;
        var sendKey = send!.KeyInUse;
        var receiveKey = receive!.KeyInUse;
        AssertSecret(sendKey);
        AssertSecret(receiveKey);

        caller.Dispose();

        AssertZero(sendKey);
        AssertZero(receiveKey);
        Assert.Throws<ObjectDisposedException>(() => caller.Seal(Guid.NewGuid(), [1], 2));
    }

    private static void AssertSecret(ReadOnlyMemory<byte> key)
    {
        Assert.Equal(32, key.Length);
        Assert.Contains(key.ToArray(), b => b != 0);
    }

    private static void AssertZero(ReadOnlyMemory<byte> key)
    {
        Assert.Equal(32, key.Length);
        Assert.All(key.ToArray(), b => Assert.Equal(0, b));
    }
}
