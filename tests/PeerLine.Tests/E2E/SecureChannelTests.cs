using System.Text;
using NSec.Cryptography;
using PeerLine.Protocol.E2E;

namespace PeerLine.Tests.E2E;

public sealed class SecureChannelTests : IDisposable
{
    private const string Session = "c2Vzc2lvbi1vbmUtaWQ";
    private readonly Key _supporterKey = Key.Create(KeyAgreementAlgorithm.X25519);
    private readonly Key _episodeKey = Key.Create(KeyAgreementAlgorithm.X25519);

    public void Dispose()
    {
        _supporterKey.Dispose();
        _episodeKey.Dispose();
    }

    [Fact]
    public void Handshake_ThenMessagesBothWays_SameSafetyCode_SupporterLearnsTheEpisodeKey()
    {
        var (caller, supporter) = Establish();

        var toSupporter = caller.Seal(Guid.NewGuid(), Text("I lost a patient today"), seq: 3);
        Assert.Equal("I lost a patient today", Read(supporter.Receive(toSupporter, 3)));
        var toCaller = supporter.Seal(Guid.NewGuid(), Text("I'm here. Take your time."), seq: 2);
        Assert.Equal("I'm here. Take your time.", Read(caller.Receive(toCaller, 2)));

        Assert.Matches(@"^\d{4} \d{4} \d{4}$", caller.SafetyCode);
        Assert.Equal(caller.SafetyCode, supporter.SafetyCode);
        Assert.Equal(_episodeKey.PublicKey.Export(KeyBlobFormat.RawPublicKey), supporter.RemoteStaticKey);
    }

    [Fact]
    public void TamperedCiphertext_Rejected_NextGenuineMessageStillOpens()
    {
        var (caller, supporter) = Establish();
        var sealedMessage = caller.Seal(Guid.NewGuid(), Text("genuine"), 3);
        var tampered = (byte[])sealedMessage.Clone();
        tampered[40] ^= 0x20;

        Assert.Equal(ChannelOutcome.Rejected, supporter.Receive(tampered, 3).Outcome);
        Assert.Equal("genuine", Read(supporter.Receive(sealedMessage, 3)));
    }

    [Fact]
    public void ReplayedMessage_Rejected()
    {
        var (caller, supporter) = Establish();
        var first = caller.Seal(Guid.NewGuid(), Text("once"), 3);
        Assert.Equal("once", Read(supporter.Receive(first, 3)));

        Assert.Equal(ChannelOutcome.Rejected, supporter.Receive(first, 3).Outcome);
        Assert.Equal(ChannelOutcome.Rejected, supporter.Receive(first, 4).Outcome);
    }

    [Fact]
    public void ReorderedMessages_Rejected()
    {
        var (caller, supporter) = Establish();
        var first = caller.Seal(Guid.NewGuid(), Text("first"), 3);
        var second = caller.Seal(Guid.NewGuid(), Text("second"), 4);

        Assert.Equal(ChannelOutcome.Rejected, supporter.Receive(second, 4).Outcome);
        Assert.Equal("first", Read(supporter.Receive(first, 3)));
        Assert.Equal("second", Read(supporter.Receive(second, 4)));
    }

    [Fact]
    public void MessageMovedToAnotherSequenceNumber_Rejected()
    {
        var (caller, supporter) = Establish();
        Assert.Equal(ChannelOutcome.Rejected, supporter.Receive(caller.Seal(Guid.NewGuid(), Text("at three"), 3), 5).Outcome);
    }

    [Fact]
    public void MessageReflectedToItsSender_RejectedByDirection()
    {
        var (caller, _) = Establish();
        var own = caller.Seal(Guid.NewGuid(), Text("mine"), 3);
        Assert.Equal(ChannelOutcome.Rejected, caller.Receive(own, 3).Outcome);
    }

    [Fact]
    public void HandshakeForAnotherSession_Rejected()
    {
        using var caller = SecureChannel.ForCaller(Session, _supporterKey.PublicKey.Export(KeyBlobFormat.RawPublicKey), _episodeKey);
        using var otherSession = SecureChannel.ForSupporter("another-session-id", _supporterKey);

        Assert.Equal(ChannelOutcome.Rejected, otherSession.Receive(caller.Start(), 1).Outcome);
    }

    [Fact]
    public void HandshakeAfterAFailedOne_RejectedWithoutThrowing()
    {
        using var caller = SecureChannel.ForCaller(Session, _supporterKey.PublicKey.Export(KeyBlobFormat.RawPublicKey), _episodeKey);
        using var supporter = SecureChannel.ForSupporter(Session, _supporterKey);
        var first = caller.Start();
        var tampered = (byte[])first.Clone();
        tampered[^1] ^= 0x01;

        Assert.Equal(ChannelOutcome.Rejected, supporter.Receive(tampered, 1).Outcome);
        Assert.Equal(ChannelOutcome.Rejected, supporter.Receive(first, 1).Outcome);
    }

    [Fact]
    public void MessageMovedToAnotherSession_Rejected()
    {
        var (caller, _) = Establish();
        var (_, otherSupporter) = Establish("a-second-session");

        Assert.Equal(ChannelOutcome.Rejected, otherSupporter.Receive(caller.Seal(Guid.NewGuid(), Text("for session one"), 3), 3).Outcome);
    }

    [Theory]
    [InlineData(0, 256)]
    [InlineData(200, 256)]
    [InlineData(220, 256)]
    [InlineData(221, 1024)]
    [InlineData(988, 1024)]
    [InlineData(989, 4096)]
    [InlineData(4060, 4096)]
    [InlineData(4061, 16384)]
    [InlineData(16348, 16384)]
    public void Envelope_PaddedToBucket(int contentLength, int envelopeLength)
    {
        var (caller, _) = Establish();
        Assert.Equal(envelopeLength, caller.Seal(Guid.NewGuid(), new byte[contentLength], 3).Length);
    }

    [Fact]
    public void Content_BeyondTheLargestBucket_Refused_UsesNoNonce()
    {
        var (caller, supporter) = Establish();
        Assert.Equal(16348, Padding.MaxContent);
        Assert.Throws<ArgumentException>(() => caller.Seal(Guid.NewGuid(), new byte[16349], 3));

        Assert.Equal("after the refusal", Read(supporter.Receive(caller.Seal(Guid.NewGuid(), Text("after the refusal"), 3), 3)));
    }

    [Fact]
    public void PaddedPlaintext_MessageIdThenLengthThenContent_UnpadRefusesShortBadLengthOrDirtyPadding()
    {
        var id = Convert.FromHexString("00112233445566778899aabbccddeeff");
        var padded = Padding.Pad(id, Text("hi"));

        Assert.Equal(238, padded.Length);
        Assert.Equal("00112233445566778899aabbccddeeff" + "0002" + "6869" + "00", Convert.ToHexStringLower(padded[..21]));
        var (messageId, content) = Padding.Unpad(padded)!.Value;
        Assert.Equal(id, messageId);
        Assert.Equal("hi", Encoding.UTF8.GetString(content));
        Assert.Empty(Padding.Unpad(new byte[18])!.Value.Content);
        Assert.Null(Padding.Unpad(new byte[17]));
        Assert.Null(Padding.Unpad([.. id, 0x00, 0x03, 0x01, 0x02]));
        padded[^1] = 0x01;
        Assert.Null(Padding.Unpad(padded));
        Assert.Throws<ArgumentException>(() => Padding.Pad(new byte[15], Text("hi")));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x02 })]
    [InlineData(new byte[] { 0x09, 0x02, 0x00 })]
    [InlineData(new byte[] { 0x02, 0x07, 0x00 })]
    [InlineData(new byte[] { 0x01, 0x02, 0x00 })]
    public void MalformedEnvelope_Rejected(byte[] envelope)
    {
        var (_, supporter) = Establish();
        Assert.Equal(ChannelOutcome.Rejected, supporter.Receive(envelope, 3).Outcome);
    }

    [Fact]
    public void RestartRequest_IsTwoBytes_RecognisedByClients_RejectedByChannels()
    {
        Assert.Equal(new byte[] { 0x02, 0x03 }, Envelope.RestartRequest());
        Assert.True(Envelope.IsRestartRequest(Envelope.RestartRequest()));
        Assert.False(Envelope.IsRestartRequest([0x02, 0x03, 0x00]));
        Assert.False(Envelope.IsRestartRequest([0x01, 0x03]));
        Assert.False(Envelope.TryUnwrap(Envelope.RestartRequest(), out _, out _));

        var (caller, supporter) = Establish();
        Assert.Equal(ChannelOutcome.Rejected, caller.Receive(Envelope.RestartRequest(), 2).Outcome);
        var sealedMessage = supporter.Seal(Guid.NewGuid(), "still in step"u8, 2);
        Assert.Equal(ChannelOutcome.Message, caller.Receive(sealedMessage, 2).Outcome); // the rejection changed nothing
    }

    /// <summary>The handshake as it runs over the relay: caller seq 1 and 2, supporter seq 1.</summary>
    private (SecureChannel Caller, SecureChannel Supporter) Establish(string session = Session)
    {
        var caller = SecureChannel.ForCaller(session, _supporterKey.PublicKey.Export(KeyBlobFormat.RawPublicKey), _episodeKey);
        var supporter = SecureChannel.ForSupporter(session, _supporterKey);
        var reply = supporter.Receive(caller.Start(), 1);
        Assert.Equal(ChannelOutcome.Handshake, reply.Outcome);
        var final = caller.Receive(reply.Reply!, 1);
        Assert.True(caller.IsEstablished);
        Assert.Equal(ChannelOutcome.Handshake, supporter.Receive(final.Reply!, 2).Outcome);
        Assert.True(supporter.IsEstablished);
        return (caller, supporter);
    }

    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    private static string Read(ChannelResult result)
    {
        Assert.Equal(ChannelOutcome.Message, result.Outcome);
        return Encoding.UTF8.GetString(result.Content!);
    }
}
