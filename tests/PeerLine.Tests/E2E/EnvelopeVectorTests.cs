using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NSec.Cryptography;
using PeerLine.Protocol.E2E;

namespace PeerLine.Tests.E2E;

/// <summary>
/// Fixed-key vectors of our own envelope (tests/vectors/peerline-envelope-v1.json): a whole handshake and
/// conversation as bytes on the relay. Any client (the browser one too) must produce and accept exactly these.
/// Regenerate only on a deliberate protocol change: PEERLINE_WRITE_VECTORS=1 dotnet test --filter EnvelopeVector.
/// </summary>
public sealed class EnvelopeVectorTests
{
    private const string FileName = "peerline-envelope-v1.json";

    [Fact]
    public void Transcript_FromFixedKeys_MatchesTheVectorFile()
    {
        var transcript = Transcript();
        if (Environment.GetEnvironmentVariable("PEERLINE_WRITE_VECTORS") == "1")
        {
            var source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "vectors", FileName));
            File.WriteAllText(source, transcript.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", FileName)))!;

        Assert.Equal(expected.ToJsonString(), transcript.ToJsonString());
    }

    [Fact]
    public void VectorFile_EveryEnvelopeIsAcceptedOnTheReceivingSide()
    {
        var v = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", FileName)))!;
        var session = v["session_id"]!.GetValue<string>();
        using var supporterKey = Import(v["supporter_static"]!);
        using var episode = Import(v["caller_static"]!);
        using var supporter = SecureChannel.ForSupporter(session, supporterKey, Import(v["supporter_ephemeral"]!));
        using var caller = SecureChannel.ForCaller(session, Convert.FromHexString(v["supporter_static_public"]!.GetValue<string>()), episode, Import(v["caller_ephemeral"]!));
        caller.Start();

        foreach (var m in v["messages"]!.AsArray())
        {
            var toSupporter = m!["direction"]!.GetValue<string>() == "caller-to-supporter";
            var opened = (toSupporter ? supporter : caller).Receive(Convert.FromHexString(m["envelope"]!.GetValue<string>()), m["seq"]!.GetValue<long>());
            if (m["type"]!.GetValue<string>() == "handshake")
            {
                Assert.Equal(ChannelOutcome.Handshake, opened.Outcome);
                continue;
            }
            Assert.Equal(ChannelOutcome.Message, opened.Outcome);
            Assert.Equal(m["content_utf8"]!.GetValue<string>(), Encoding.UTF8.GetString(opened.Content!));
        }
        Assert.Equal(v["safety_code"]!.GetValue<string>(), supporter.SafetyCode);
        Assert.Equal(v["safety_code"]!.GetValue<string>(), caller.SafetyCode);
    }

    private static JsonObject Transcript()
    {
        const string session = "dmVjdG9yLXNlc3Npb24";
        var keys = new Dictionary<string, string>
        {
            ["caller_static"] = "a8abababababababababababababababababababababababababababababab6b",
            ["caller_ephemeral"] = "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdce4f",
            ["supporter_static"] = "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedee6f",
            ["supporter_ephemeral"] = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff000102030405060708090a0b0c0d0e4f",
        };
        using var supporterKey = Import(keys["supporter_static"]);
        using var episode = Import(keys["caller_static"]);
        using var caller = SecureChannel.ForCaller(session, supporterKey.PublicKey.Export(KeyBlobFormat.RawPublicKey), episode, Import(keys["caller_ephemeral"]));
        using var supporter = SecureChannel.ForSupporter(session, supporterKey, Import(keys["supporter_ephemeral"]));

        var messages = new JsonArray();
        void Add(string type, string direction, long seq, byte[] envelope, string? content = null)
        {
            var m = new JsonObject { ["type"] = type, ["direction"] = direction, ["seq"] = seq };
            if (content is not null) m["content_utf8"] = content;
            m["envelope"] = Convert.ToHexString(envelope).ToLowerInvariant();
            messages.Add(m);
        }

        var m1 = caller.Start();
        Add("handshake", "caller-to-supporter", 1, m1);
        var m2 = supporter.Receive(m1, 1).Reply!;
        Add("handshake", "supporter-to-caller", 1, m2);
        var m3 = caller.Receive(m2, 1).Reply!;
        Add("handshake", "caller-to-supporter", 2, m3);
        supporter.Receive(m3, 2);

        foreach (var (direction, seq, text) in new[]
        {
            ("caller-to-supporter", 3L, "Hello. I need to talk to someone."),
            ("supporter-to-caller", 2L, "I'm here. You're safe to talk."),
            ("caller-to-supporter", 4L, new string('x', 300)),
        })
        {
            var sender = direction == "caller-to-supporter" ? caller : supporter;
            Add("transport", direction, seq, sender.Seal(Encoding.UTF8.GetBytes(text), seq), text);
        }

        var result = new JsonObject
        {
            ["description"] = "PeerLine envelope v1 (docs/protocol.md): Noise_XK_25519_AESGCM_SHA256 between a caller (initiator) and a supporter, with fixed keys. Keys are raw X25519 private keys in hex; envelopes are the bytes sent as ciphertext on the relay under the given seq.",
            ["protocol_name"] = "Noise_XK_25519_AESGCM_SHA256",
            ["session_id"] = session,
            ["prologue"] = Convert.ToHexString(Binding.Prologue(session)).ToLowerInvariant(),
        };
        foreach (var (k, hex) in keys) result[k] = hex;
        result["supporter_static_public"] = Convert.ToHexString(supporterKey.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToLowerInvariant();
        result["safety_code"] = caller.SafetyCode;
        result["messages"] = messages;
        return result;
    }

    private static Key Import(JsonNode hex) => Import(hex.GetValue<string>());

    private static Key Import(string hex) =>
        Key.Import(KeyAgreementAlgorithm.X25519, Convert.FromHexString(hex), KeyBlobFormat.RawPrivateKey);
}
