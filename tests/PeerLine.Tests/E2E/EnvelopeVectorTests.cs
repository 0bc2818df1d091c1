using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NSec.Cryptography;
using PeerLine.Protocol.E2E;

namespace PeerLine.Tests.E2E;

/// <summary>
/// Fixed-key vectors of our own envelope (tests/vectors/peerline-envelope-v2.json): one session, the caller's channel
/// with the supporter (party 00) and with a lead (party 01), each a whole handshake and messages both ways, as bytes
/// on the relay. Any client (the browser one too) must produce and accept exactly these.
/// Regenerate only on a deliberate protocol change: PEERLINE_WRITE_VECTORS=1 dotnet test --filter EnvelopeVector.
/// </summary>
public sealed class EnvelopeVectorTests
{
    private const string FileName = "peerline-envelope-v2.json";
    private const string OldFileName = "peerline-envelope-v1.json";
    private const string Session = "dmVjdG9yLXNlc3Npb24";
    private const string CallerStatic = "a8abababababababababababababababababababababababababababababab6b";

    /// <summary>What differs between the two channels of the session: the party, its keys, and what is said.</summary>
    private sealed record ChannelPlan(string Name, Party Party, string CallerEphemeral, string StaffStatic, string StaffEphemeral,
        (bool FromCaller, long Seq, string MessageId, string Text)[] Messages);

    private static readonly ChannelPlan[] Plans =
    [
        new("supporter", Party.Supporter,
            CallerEphemeral: "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdce4f",
            StaffStatic: "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedee6f",
            StaffEphemeral: "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff000102030405060708090a0b0c0d0e4f",
            [
                (true, 3, "3f1c9a2e7b4d4e0f8a6c5b2d1e0f9a8b", "Hello. I need to talk to someone."),
                (false, 2, "c4e8d2a1f6b34c7d9e0a1b2c3d4e5f60", "I'm here. You're safe to talk."),
                (true, 4, "5a6b7c8d9e0f4a1b8c2d3e4f5a6b7c8d", new string('x', 300)),
            ]),
        new("lead", Party.Lead,
            CallerEphemeral: "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f",
            StaffStatic: "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e7f",
            StaffEphemeral: "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f",
            [
                (true, 3, "8e2f6d4c1a3b4c5d9e6f7a8b9c0d1e2f", "Thank you for joining."),
                (false, 2, "1b2c3d4e5f604a7b8c9d0e1f2a3b4c5d", "I'm the shift lead. I'm here too."),
            ]),
    ];

    [Fact]
    public void Transcript_FromFixedKeys_MatchesTheVectorFile()
    {
        var transcript = Transcript();
        if (Environment.GetEnvironmentVariable("PEERLINE_WRITE_VECTORS") == "1")
        {
            var source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "vectors", FileName));
            File.WriteAllText(source, transcript.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        Assert.Equal(Load(FileName).ToJsonString(), transcript.ToJsonString());
    }

    [Fact]
    public void VectorFile_EveryEnvelopeIsAcceptedOnTheReceivingSide_WithItsMessageId()
    {
        var v = Load(FileName);
        var session = v["session_id"]!.GetValue<string>();
        using var episode = Import(v["caller_static"]!);
        foreach (var c in v["channels"]!.AsArray())
        {
            var party = (Party)Convert.FromHexString(c!["party"]!.GetValue<string>())[0];
            using var staffKey = Import(c["staff_static"]!);
            using var staff = SecureChannel.ForStaff(session, party, staffKey, Import(c["staff_ephemeral"]!));
            var staffStatic = Convert.FromHexString(c["staff_static_public"]!.GetValue<string>());
            using var caller = SecureChannel.ForCaller(session, party, staffStatic, episode, Import(c["caller_ephemeral"]!));
            caller.Start();

            foreach (var m in c["messages"]!.AsArray())
            {
                var toStaff = m!["direction"]!.GetValue<string>().StartsWith("caller-to-", StringComparison.Ordinal);
                var opened = (toStaff ? staff : caller).Receive(Hex(m["envelope"]!), m["seq"]!.GetValue<long>());
                if (m["type"]!.GetValue<string>() == "handshake")
                {
                    Assert.Equal(ChannelOutcome.Handshake, opened.Outcome);
                    continue;
                }
                Assert.Equal(ChannelOutcome.Message, opened.Outcome);
                Assert.Equal(new Guid(Hex(m["message_id"]!), bigEndian: true), opened.MessageId);
                Assert.Equal(m["content_utf8"]!.GetValue<string>(), Encoding.UTF8.GetString(opened.Content!));
            }
            Assert.Equal(c["safety_code"]!.GetValue<string>(), staff.SafetyCode);
            Assert.Equal(c["safety_code"]!.GetValue<string>(), caller.SafetyCode);
            Assert.Equal(c["handshake_hash"]!.GetValue<string>(), Convert.ToHexStringLower(staff.HandshakeHash!));
        }
    }

    [Fact]
    public void OldFormat_EveryV1Envelope_IsRejected()
    {
        var v = Load(OldFileName);
        var session = v["session_id"]!.GetValue<string>();
        using var supporterKey = Import(v["supporter_static"]!);
        using var episode = Import(v["caller_static"]!);
        using var supporter = SecureChannel.ForSupporter(session, supporterKey, Import(v["supporter_ephemeral"]!));
        var supporterStatic = Convert.FromHexString(v["supporter_static_public"]!.GetValue<string>());
        using var caller = SecureChannel.ForCaller(session, supporterStatic, episode, Import(v["caller_ephemeral"]!));
        caller.Start();

        var messages = v["messages"]!.AsArray();
        Assert.Equal(6, messages.Count);
        foreach (var m in messages)
        {
            var envelope = Hex(m!["envelope"]!);
            Assert.Equal(0x01, envelope[0]);
            Assert.False(Envelope.TryUnwrap(envelope, out _, out _));
            var receiver = m["direction"]!.GetValue<string>() == "caller-to-supporter" ? supporter : caller;
            Assert.Equal(ChannelOutcome.Rejected, receiver.Receive(envelope, m["seq"]!.GetValue<long>()).Outcome);
        }
        Assert.False(Envelope.IsRestartRequest([0x01, 0x03]));

        // With its version byte rewritten, the first handshake message still fails: the v2 label is in the prologue.
        using var fresh = SecureChannel.ForSupporter(session, supporterKey);
        var first = Hex(messages[0]!["envelope"]!);
        first[0] = Envelope.Version;
        Assert.Equal(ChannelOutcome.Rejected, fresh.Receive(first, 1).Outcome);
    }

    private static JsonObject Transcript()
    {
        using var episode = Import(CallerStatic);
        var channels = new JsonArray();
        foreach (var plan in Plans) channels.Add(ChannelTranscript(plan, episode));
        return new JsonObject
        {
            ["description"] = "PeerLine envelope v2 (docs/protocol.md, section 11.9): one session, Noise_XK_25519_AESGCM_SHA256 between the caller "
                + "(initiator, one episode key) and the supporter (party 00), and between the same caller and a lead (party 01), with fixed keys "
                + "and fixed end-to-end message ids. Keys are raw X25519 private keys in hex; message ids are the 16 wire bytes; envelopes are "
                + "the bytes sent as ciphertext on the relay under the given seq (seqs of each lane as in a first channel).",
            ["protocol_name"] = Binding.ProtocolName,
            ["session_id"] = Session,
            ["caller_static"] = CallerStatic,
            ["caller_static_public"] = Convert.ToHexStringLower(episode.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
            ["channels"] = channels,
        };
    }

    private static JsonObject ChannelTranscript(ChannelPlan plan, Key episode)
    {
        var (toStaff, toCaller) = plan.Party == Party.Lead
            ? (Direction.CallerToLead, Direction.LeadToCaller)
            : (Direction.CallerToSupporter, Direction.SupporterToCaller);
        string Name(Direction d) => d switch
        {
            Direction.CallerToSupporter => "caller-to-supporter",
            Direction.SupporterToCaller => "supporter-to-caller",
            Direction.CallerToLead => "caller-to-lead",
            _ => "lead-to-caller",
        };

        using var staffKey = Import(plan.StaffStatic);
        var staffPublic = staffKey.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        using var caller = SecureChannel.ForCaller(Session, plan.Party, staffPublic, episode, Import(plan.CallerEphemeral));
        using var staff = SecureChannel.ForStaff(Session, plan.Party, staffKey, Import(plan.StaffEphemeral));

        var messages = new JsonArray();
        void AddHandshake(Direction direction, long seq, byte[] envelope) => messages.Add(new JsonObject
        {
            ["type"] = "handshake", ["direction"] = Name(direction), ["seq"] = seq, ["envelope"] = Convert.ToHexStringLower(envelope),
        });

        var m1 = caller.Start();
        AddHandshake(toStaff, 1, m1);
        var m2 = staff.Receive(m1, 1).Reply!;
        AddHandshake(toCaller, 1, m2);
        var m3 = caller.Receive(m2, 1).Reply!;
        AddHandshake(toStaff, 2, m3);
        staff.Receive(m3, 2);

        foreach (var (fromCaller, seq, id, text) in plan.Messages)
        {
            var direction = fromCaller ? toStaff : toCaller;
            var messageId = new Guid(Convert.FromHexString(id), bigEndian: true);
            var envelope = (fromCaller ? caller : staff).Seal(messageId, Encoding.UTF8.GetBytes(text), seq);
            messages.Add(new JsonObject
            {
                ["type"] = "transport",
                ["direction"] = Name(direction),
                ["seq"] = seq,
                ["message_id"] = id,
                ["content_utf8"] = text,
                ["associated_data"] = Convert.ToHexStringLower(Binding.AssociatedData(Session, direction, seq)),
                ["envelope"] = Convert.ToHexStringLower(envelope),
            });
        }

        var callerState = caller.Export();
        return new JsonObject
        {
            ["name"] = plan.Name,
            ["party"] = Convert.ToHexStringLower([(byte)plan.Party]),
            ["prologue"] = Convert.ToHexStringLower(Binding.Prologue(Session, plan.Party)),
            ["caller_ephemeral"] = plan.CallerEphemeral,
            ["staff_static"] = plan.StaffStatic,
            ["staff_ephemeral"] = plan.StaffEphemeral,
            ["staff_static_public"] = Convert.ToHexStringLower(staffPublic),
            ["handshake_hash"] = Convert.ToHexStringLower(callerState.HandshakeHash),
            ["caller_send_key"] = Convert.ToHexStringLower(callerState.SendKey),
            ["caller_receive_key"] = Convert.ToHexStringLower(callerState.ReceiveKey),
            ["safety_code"] = caller.SafetyCode,
            ["messages"] = messages,
        };
    }

    private static JsonNode Load(string fileName) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", fileName)))!;

    private static byte[] Hex(JsonNode hex) => Convert.FromHexString(hex.GetValue<string>());

    private static Key Import(JsonNode hex) => Import(hex.GetValue<string>());

    private static Key Import(string hex) =>
        Key.Import(KeyAgreementAlgorithm.X25519, Convert.FromHexString(hex), KeyBlobFormat.RawPrivateKey);
}
