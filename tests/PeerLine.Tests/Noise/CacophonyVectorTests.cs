using System.Text.Json;
using NSec.Cryptography;
using PeerLine.Protocol.Noise;

namespace PeerLine.Tests.Noise;

/// <summary>Every vector of the cacophony suite for Noise_*_25519_AESGCM_SHA256 (tests/vectors), byte for byte.</summary>
public sealed class CacophonyVectorTests
{
    private static readonly JsonElement[] Vectors = JsonDocument
        .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "noise-25519-aesgcm-sha256.json")))
        .RootElement.GetProperty("vectors").EnumerateArray().ToArray();

    public static IEnumerable<object[]> ProtocolNames() => Vectors.Select(v => new object[] { v.GetProperty("protocol_name").GetString()! });

    [Fact]
    public void Suite_HasAllFiftyNineVectors_IncludingXKAndNK()
    {
        var names = ProtocolNames().Select(n => (string)n[0]).ToList();
        Assert.Equal(59, names.Count);
        Assert.Contains("Noise_XK_25519_AESGCM_SHA256", names);
        Assert.Contains("Noise_NK_25519_AESGCM_SHA256", names);
    }

    [Theory]
    [MemberData(nameof(ProtocolNames))]
    public void Vector_BothSidesProduceAndAcceptEveryMessage_AndAgreeOnTheHandshakeHash(string protocolName)
    {
        var v = Vectors.Single(x => x.GetProperty("protocol_name").GetString() == protocolName);
        using var initiator = new HandshakeState(protocolName, Options(v, "init", initiator: true));
        using var responder = new HandshakeState(protocolName, Options(v, "resp", initiator: false));
        (CipherState Send, CipherState Receive)? initiatorTransport = null, responderTransport = null;
        var oneWay = HandshakePattern.Parse(protocolName["Noise_".Length..^HandshakeState.Suite.Length]).OneWay;

        var messages = v.GetProperty("messages").EnumerateArray().ToArray();
        for (var i = 0; i < messages.Length; i++)
        {
            var payload = Hex(messages[i], "payload");
            var expected = Hex(messages[i], "ciphertext");
            var initiatorSends = oneWay || i % 2 == 0;

            if (!initiator.IsComplete || !responder.IsComplete)
            {
                var (writer, reader) = initiatorSends ? (initiator, responder) : (responder, initiator);
                Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(writer.WriteMessage(payload)));
                Assert.Equal(payload, reader.ReadMessage(expected));
                if (initiator.IsComplete && responder.IsComplete)
                {
                    Assert.Equal(v.GetProperty("handshake_hash").GetString(), Convert.ToHexString(initiator.HandshakeHash).ToLowerInvariant());
                    Assert.Equal(initiator.HandshakeHash, responder.HandshakeHash);
                    initiatorTransport = initiator.Split();
                    responderTransport = responder.Split();
                }
                continue;
            }

            var (send, receive) = initiatorSends
                ? (initiatorTransport!.Value.Send, responderTransport!.Value.Receive)
                : (responderTransport!.Value.Send, initiatorTransport!.Value.Receive);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(send.EncryptWithAd([], payload)));
            Assert.Equal(payload, receive.DecryptWithAd([], expected));
        }
        Assert.NotNull(initiatorTransport);
    }

    [Fact]
    public void XK_TamperedHandshakeMessage_RejectedAndTheHandshakeEnds()
    {
        var v = Vectors.Single(x => x.GetProperty("protocol_name").GetString() == "Noise_XK_25519_AESGCM_SHA256");
        using var initiator = new HandshakeState("Noise_XK_25519_AESGCM_SHA256", Options(v, "init", initiator: true));
        using var responder = new HandshakeState("Noise_XK_25519_AESGCM_SHA256", Options(v, "resp", initiator: false));
        var first = initiator.WriteMessage([]);
        first[^1] ^= 0x01;

        Assert.Null(responder.ReadMessage(first));
        Assert.False(responder.IsMyTurn);
    }

    private static HandshakeOptions Options(JsonElement v, string side, bool initiator) => new()
    {
        Initiator = initiator,
        Prologue = Hex(v, $"{side}_prologue"),
        LocalStatic = v.TryGetProperty($"{side}_static", out var s) ? Import(s) : null,
        RemoteStatic = v.TryGetProperty($"{side}_remote_static", out var rs) ? Convert.FromHexString(rs.GetString()!) : null,
        FixedEphemeral = v.TryGetProperty($"{side}_ephemeral", out var e) ? Import(e) : null,
        PreSharedKeys = v.TryGetProperty($"{side}_psks", out var psks)
            ? psks.EnumerateArray().Select(p => Convert.FromHexString(p.GetString()!)).ToList()
            : [],
    };

    private static Key Import(JsonElement hex) =>
        Key.Import(KeyAgreementAlgorithm.X25519, Convert.FromHexString(hex.GetString()!), KeyBlobFormat.RawPrivateKey);

    private static byte[] Hex(JsonElement element, string name) => Convert.FromHexString(element.GetProperty(name).GetString()!);
}
