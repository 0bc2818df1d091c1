using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;
using PeerLine.Client.E2E;
using PeerLine.Protocol.Roster;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.E2E;

/// <summary>CallerClient and SupporterClient through the real server: plaintext exists only at the two ends.</summary>
public sealed class EncryptedConversationTests() : AppScenario(new PeerLineApp(kestrel: true))
{
    private readonly Key _device = Key.Create(KeyAgreementAlgorithm.X25519);

    public override async Task DisposeAsync()
    {
        _device.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task FullConversation_BothWays_SameSafetyCode_PlaintextNeverInDatabaseOrLogs()
    {
        const string fromCaller = "plaintext-from-caller-3f9a: the patient died on my table";
        const string fromSupporter = "plaintext-from-supporter-77b1: I am so sorry, I'm listening";
        await using var supporter = await CertifiedSupporterAsync("jo");
        await using var caller = new CallerClient(App.RelayOptions(), await PinnedTrustAsync());
        var atSupporter = new ConcurrentQueue<string>();
        var atCaller = new ConcurrentQueue<string>();
        supporter.MessageReceived = m => { atSupporter.Enqueue(m.Text); return Task.CompletedTask; };
        caller.MessageReceived = m => { atCaller.Enqueue(m.Text); return Task.CompletedTask; };

        await caller.RequestSupportAsync(Topics.AdverseEvent, Priorities.Soon).Within();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        var callerCode = await caller.Established.Within();
        var supporterCode = await supporter.EstablishedAsync(session).Within();
        Assert.Equal(callerCode, supporterCode);

        await caller.SendAsync(fromCaller).Within();
        await supporter.SendAsync(session, fromSupporter).Within();
        await Waits.UntilAsync(() => atSupporter.Count == 1 && atCaller.Count == 1);
        Assert.Equal(fromCaller, atSupporter.Single());
        Assert.Equal(fromSupporter, atCaller.Single());

        // While stored, ciphertext is on disk — and the plaintext is not.
        await App.AssertPlaintextNowhereAsync(fromCaller, fromSupporter);
        await supporter.CloseAsync(session, Dispositions.Supported).Within();
        await App.AssertPlaintextNowhereAsync(fromCaller, fromSupporter);
        App.Logs.AssertNoErrors();
    }

    [Fact]
    public async Task TransferToAnotherSupporter_FreshHandshakeWithTheNewKey_ConversationContinues()
    {
        await using var first = await CertifiedSupporterAsync("nia");
        using var secondDevice = Key.Create(KeyAgreementAlgorithm.X25519);
        await using var second = await CertifiedSupporterAsync("oz", secondDevice);
        await using var caller = new CallerClient(App.RelayOptions(), await PinnedTrustAsync());
        var atSecond = new ConcurrentQueue<string>();
        second.MessageReceived = m => { atSecond.Enqueue(m.Text); return Task.CompletedTask; };
        await caller.RequestSupportAsync(Topics.PatientDeath, Priorities.Crisis).Within();
        var session = (await first.ClaimNextAsync().Within()).SessionId;
        var firstCode = await caller.Established.Within();

        await first.Relay.TransferAsync(session, "oz").Within();

        var secondCode = await second.EstablishedAsync(session).Within();
        await Waits.UntilAsync(() => caller.Established.IsCompleted && caller.Established.Result == secondCode, because: "caller re-handshakes");
        Assert.NotEqual(firstCode, secondCode);
        await caller.SendAsync("after the transfer").Within();
        await Waits.UntilAsync(() => atSecond.Contains("after the transfer"));
    }

    [Fact]
    public async Task SupporterWithoutCertifiedKey_CallerRefusesToHandshake()
    {
        await using var supporter = await App.SupporterOnShiftAsync("kit");
        await using var caller = new CallerClient(App.RelayOptions(), await PinnedTrustAsync());
        var refused = new TaskCompletionSource<string>();
        caller.ChannelRefused += r => refused.TrySetResult(r);

        await caller.RequestSupportAsync(Topics.Burnout, Priorities.Routine).Within();
        await supporter.ClaimNextAsync().Within();

        Assert.Equal(ErrorCodes.NotFound, await refused.Task.Within());
        Assert.False(caller.Established.IsCompleted);
    }

    [Fact]
    public async Task CertificateSignedByAnotherRoster_CallerRefuses()
    {
        await using var supporter = await CertifiedSupporterAsync("lou");
        using var otherRoster = Key.Create(SignatureAlgorithm.Ed25519);
        var wrongPin = RosterTrust.Pin(otherRoster.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        await using var caller = new CallerClient(App.RelayOptions(), wrongPin);
        var refused = new TaskCompletionSource<string>();
        caller.ChannelRefused += r => refused.TrySetResult(r);

        await caller.RequestSupportAsync(Topics.Other, Priorities.Routine).Within();
        await supporter.ClaimNextAsync().Within();

        Assert.Equal(nameof(CertificateVerdict.BadSignature), await refused.Task.Within());
    }

    [Fact]
    public async Task SupporterClientRestartsWithNothingKept_NewHandshake_MessageSealedForTheLostChannelArrivesOnce()
    {
        var supporter = await CertifiedSupporterAsync("pia");
        await using var caller = new CallerClient(App.RelayOptions(), await PinnedTrustAsync());
        var delivered = new ConcurrentQueue<Guid>();
        caller.Delivered += delivered.Enqueue;
        await caller.RequestSupportAsync(Topics.AdverseEvent, Priorities.Soon).Within();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        var before = await caller.Established.Within();
        await supporter.DisposeAsync(); // the device restarts with an empty store: its channel keys are gone, its device key is not

        var lost = await caller.SendAsync("sealed-for-the-lost-channel 41c2").Within();
        await using var restarted = new SupporterClient(App.RelayOptions(), "pia", PeerLineApp.Password, _device);
        var received = new ConcurrentQueue<PlaintextMessage>();
        var refused = new ConcurrentQueue<string>();
        restarted.MessageReceived = m => { received.Enqueue(m); return Task.CompletedTask; };
        restarted.ChannelRefused += (_, code) => refused.Enqueue(code);
        await restarted.ConnectAsync().Within();

        var after = await restarted.EstablishedAsync(session).Within();
        await Waits.UntilAsync(() => caller.Established.IsCompletedSuccessfully && caller.Established.Result == after,
            because: "the caller answered the restart request");
        Assert.NotEqual(before, after);
        var next = await caller.SendAsync("after-the-restart 41c2").Within();
        await Waits.UntilAsync(() => received.Any(m => m.Text == "after-the-restart 41c2"));
        // Sealed again under the new channel (same end-to-end id), shown once, in order.
        Assert.Equal(["sealed-for-the-lost-channel 41c2", "after-the-restart 41c2"], received.Select(m => m.Text));
        Assert.Equal([lost, next], received.Select(m => m.MessageId));
        await Waits.UntilAsync(() => delivered.Count == 2, because: "both are delivered under the new channel");
        Assert.Equal([lost, next], delivered.ToArray());
        Assert.All(refused, code => Assert.Equal("rejected-message", code));
    }

    private Task<SupporterClient> CertifiedSupporterAsync(string login, Key? device = null) =>
        App.CertifiedSupporterAsync(login, device ?? _device);

    private Task<RosterTrust> PinnedTrustAsync() => App.PinnedTrustAsync();
}
