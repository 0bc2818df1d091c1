using System.Text;
using System.Text.Json;
using NSec.Cryptography;
using PeerLine.Protocol.E2E;

namespace PeerLine.Tests.E2E;

/// <summary>A channel exported and restored (a reload or a restart) continues exactly where it stood; message ids travel inside.</summary>
public sealed class KeepingAChannelTests : IDisposable
{
    private const string Session = "a2VlcGluZy1hLWNoYW5uZWw";
    private readonly Key _supporterKey = Key.Create(KeyAgreementAlgorithm.X25519);
    private readonly Key _episodeKey = Key.Create(KeyAgreementAlgorithm.X25519);
    private readonly List<SecureChannel> _channels = [];

    public void Dispose()
    {
        foreach (var channel in _channels) channel.Dispose();
        _supporterKey.Dispose();
        _episodeKey.Dispose();
    }

    [Fact]
    public void MessageId_RoundTripsInsideTheEnvelope_InRfc4122ByteOrder()
    {
        var (caller, supporter) = Establish();
        var id = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

        var opened = supporter.Receive(caller.Seal(id, Text("with an id"), 3), 3);

        Assert.Equal(ChannelOutcome.Message, opened.Outcome);
        Assert.Equal(id, opened.MessageId);
        Assert.Equal("with an id", Encoding.UTF8.GetString(opened.Content!));
        Assert.Equal(Convert.FromHexString("00112233445566778899aabbccddeeff"), id.ToByteArray(bigEndian: true));
    }

    [Fact]
    public void SameMessageId_SealedUnderTwoChannels_OpensWithTheSameId()
    {
        var (first, firstSupporter) = Establish();
        var (second, secondSupporter) = Establish();
        var id = Guid.NewGuid();

        Assert.Equal(id, firstSupporter.Receive(first.Seal(id, Text("written once"), 3), 3).MessageId);
        Assert.Equal(id, secondSupporter.Receive(second.Seal(id, Text("written once"), 4), 4).MessageId);
    }

    [Fact]
    public void ExportThenRestore_ContinuesBothDirections_SameSafetyCodeAndNonces()
    {
        var (caller, supporter) = Establish();
        Assert.Equal("before", Read(supporter.Receive(caller.Seal(Guid.NewGuid(), Text("before"), 3), 3)));
        Assert.Equal("reply before", Read(caller.Receive(supporter.Seal(Guid.NewGuid(), Text("reply before"), 2), 2)));

        var callerState = caller.Export();
        var supporterState = supporter.Export();
        caller.Dispose();
        supporter.Dispose();
        var restoredCaller = Keep(SecureChannel.Restore(callerState));
        var restoredSupporter = Keep(SecureChannel.Restore(supporterState));

        Assert.True(restoredCaller.IsEstablished);
        Assert.Equal(callerState.SendNonce, restoredCaller.Export().SendNonce);
        Assert.Equal((1UL, 1UL), (callerState.SendNonce, callerState.ReceiveNonce));
        Assert.Equal((1UL, 1UL), (supporterState.SendNonce, supporterState.ReceiveNonce));
        Assert.Equal(callerState.SendKey, supporterState.ReceiveKey);
        Assert.Equal(callerState.ReceiveKey, supporterState.SendKey);
        Assert.Equal(callerState.HandshakeHash, supporterState.HandshakeHash);
        Assert.Equal(_supporterKey.PublicKey.Export(KeyBlobFormat.RawPublicKey), callerState.RemoteStaticKey);
        Assert.Equal(_episodeKey.PublicKey.Export(KeyBlobFormat.RawPublicKey), restoredSupporter.RemoteStaticKey);
        Assert.NotNull(restoredCaller.SafetyCode);
        Assert.Equal(restoredCaller.SafetyCode, restoredSupporter.SafetyCode);
        Assert.Equal(callerState.HandshakeHash, restoredSupporter.HandshakeHash);

        Assert.Equal("after", Read(restoredSupporter.Receive(restoredCaller.Seal(Guid.NewGuid(), Text("after"), 4), 4)));
        Assert.Equal("reply after", Read(restoredCaller.Receive(restoredSupporter.Seal(Guid.NewGuid(), Text("reply after"), 3), 3)));
        Assert.Equal((2UL, 2UL), (restoredCaller.Export().SendNonce, restoredCaller.Export().ReceiveNonce));
    }

    [Fact]
    public void RestoredOnOneSideOnly_StillTalksToTheLiveOtherSide()
    {
        var (caller, supporter) = Establish();
        var restoredSupporter = Keep(SecureChannel.Restore(supporter.Export()));
        supporter.Dispose();

        Assert.Equal("to the restored side", Read(restoredSupporter.Receive(caller.Seal(Guid.NewGuid(), Text("to the restored side"), 3), 3)));
        Assert.Equal("from the restored side", Read(caller.Receive(restoredSupporter.Seal(Guid.NewGuid(), Text("from the restored side"), 2), 2)));
    }

    [Fact]
    public void RestoredChannel_RejectsAReplayOfAnEnvelopeOpenedBeforeTheExport()
    {
        var (caller, supporter) = Establish();
        var opened = caller.Seal(Guid.NewGuid(), Text("opened before"), 3);
        Assert.Equal("opened before", Read(supporter.Receive(opened, 3)));

        var restored = Keep(SecureChannel.Restore(supporter.Export()));

        Assert.Equal(ChannelOutcome.Rejected, restored.Receive(opened, 3).Outcome);
        Assert.Equal("next", Read(restored.Receive(caller.Seal(Guid.NewGuid(), Text("next"), 4), 4)));
    }

    [Fact]
    public void ChannelState_SurvivesJson_AndTheRestoredChannelOpensTheNextMessage()
    {
        var (caller, supporter) = Establish();
        var json = JsonSerializer.Serialize(supporter.Export());
        var state = JsonSerializer.Deserialize<ChannelState>(json)!;

        var restored = Keep(SecureChannel.Restore(state));

        Assert.Equal(Party.Supporter, state.Party);
        Assert.False(state.Caller);
        Assert.Equal("through json", Read(restored.Receive(caller.Seal(Guid.NewGuid(), Text("through json"), 3), 3)));
    }

    [Fact]
    public void LeadChannel_ExportedAndRestored_KeepsItsPartyAndDirections()
    {
        var caller = Keep(SecureChannel.ForCaller(Session, Party.Lead, _supporterKey.PublicKey.Export(KeyBlobFormat.RawPublicKey), _episodeKey));
        var lead = Keep(SecureChannel.ForStaff(Session, Party.Lead, _supporterKey));
        var final = caller.Receive(lead.Receive(caller.Start(), 1).Reply!, 1);
        lead.Receive(final.Reply!, 2);

        var restoredLead = Keep(SecureChannel.Restore(lead.Export()));
        var toLead = caller.Seal(Guid.NewGuid(), Text("to the lead"), 3);

        Assert.Equal(Party.Lead, lead.Export().Party);
        Assert.Equal("to the lead", Read(restoredLead.Receive(toLead, 3)));
        var (_, supporter) = Establish();
        Assert.Equal(ChannelOutcome.Rejected, supporter.Receive(caller.Seal(Guid.NewGuid(), Text("lead only"), 4), 4).Outcome);
    }

    [Fact]
    public void Export_BeforeTheHandshakeIsComplete_Throws()
    {
        var caller = Keep(SecureChannel.ForCaller(Session, _supporterKey.PublicKey.Export(KeyBlobFormat.RawPublicKey), _episodeKey));
        Assert.Throws<InvalidOperationException>(caller.Export);
        caller.Start();
        Assert.Throws<InvalidOperationException>(caller.Export);
        Assert.Null(caller.HandshakeHash);
    }

    [Fact]
    public void Restore_WithAKeyOfTheWrongLength_Throws()
    {
        var (caller, _) = Establish();
        var state = caller.Export();
        Assert.Throws<ArgumentException>(() => SecureChannel.Restore(state with { SendKey = new byte[31] }));
        Assert.Throws<ArgumentException>(() => SecureChannel.Restore(state with { HandshakeHash = [] }));
    }

    [Fact]
    public void RestoredChannel_TakesNoHandshakeMessage()
    {
        var (caller, supporter) = Establish();
        var restored = Keep(SecureChannel.Restore(supporter.Export()));
        var other = Keep(SecureChannel.ForCaller(Session, _supporterKey.PublicKey.Export(KeyBlobFormat.RawPublicKey), _episodeKey));

        Assert.Equal(ChannelOutcome.Rejected, restored.Receive(other.Start(), 3).Outcome);
        Assert.Throws<InvalidOperationException>(() => Keep(SecureChannel.Restore(caller.Export())).Start());
    }

    [Fact]
    public void DisposedChannel_NeitherSealsNorOpens_NorExports()
    {
        var (caller, supporter) = Establish();
        var envelope = caller.Seal(Guid.NewGuid(), Text("sealed before dispose"), 3);
        caller.Dispose();
        supporter.Dispose();

        Assert.Throws<ObjectDisposedException>(() => caller.Seal(Guid.NewGuid(), Text("after dispose"), 4));
        Assert.Throws<ObjectDisposedException>(caller.Export);
        Assert.Equal(ChannelOutcome.Rejected, supporter.Receive(envelope, 3).Outcome);
    }

    private (SecureChannel Caller, SecureChannel Supporter) Establish()
    {
        var caller = Keep(SecureChannel.ForCaller(Session, _supporterKey.PublicKey.Export(KeyBlobFormat.RawPublicKey), _episodeKey));
        var supporter = Keep(SecureChannel.ForSupporter(Session, _supporterKey));
        var final = caller.Receive(supporter.Receive(caller.Start(), 1).Reply!, 1);
        Assert.Equal(ChannelOutcome.Handshake, supporter.Receive(final.Reply!, 2).Outcome);
        Assert.True(caller.IsEstablished && supporter.IsEstablished);
        return (caller, supporter);
    }

    private SecureChannel Keep(SecureChannel channel)
    {
        _channels.Add(channel);
        return channel;
    }

    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    private static string Read(ChannelResult result)
    {
        Assert.Equal(ChannelOutcome.Message, result.Outcome);
        return Encoding.UTF8.GetString(result.Content!);
    }
}
