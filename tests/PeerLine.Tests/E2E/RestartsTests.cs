using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using NSec.Cryptography;
using PeerLine.Client.E2E;
using PeerLine.Client.Relay;
using PeerLine.Client.State;
using PeerLine.Protocol.Roster;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.E2E;

/// <summary>
/// A client process restarted mid-chat (a new client object on the same file store, the old one dropped without a
/// word), and the server killed with SIGKILL mid-chat: the same channel continues (same safety code, no new
/// handshake), each message arrives once, in order, and what was kept but never sent goes out after the restart.
/// </summary>
public sealed class RestartsTests() : AppScenario(new PeerLineApp(kestrel: true))
{
    private readonly Key _device = Key.Create(KeyAgreementAlgorithm.X25519);
    private readonly string _stores = Path.Combine(Path.GetTempPath(), "peerline-tests", Guid.NewGuid().ToString("N"));

    public override async Task DisposeAsync()
    {
        _device.Dispose();
        try { Directory.Delete(_stores, recursive: true); } catch (IOException) { }
        await base.DisposeAsync();
    }

    [Fact]
    public async Task SupporterClientRestarted_FiveCallerMessagesInFlight_SameChannelNoHandshake_EachArrivesOnce()
    {
        var store = new FileConversationStore(Path.Combine(_stores, "supporter"));
        var supporter = await App.CertifiedSupporterAsync("amy", _device, store: store);
        await using var caller = new CallerClient(App.RelayOptions(), await App.PinnedTrustAsync());
        var (atSupporter, atCaller) = (ConversationParty.Of(supporter), ConversationParty.Of(caller));
        await caller.RequestSupportAsync(Topics.AdverseEvent, Priorities.Soon).Within();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        var code = await caller.Established.Within();
        var established = caller.Established;
        var first = ConversationParty.UniqueTexts("before-supporter-restart", 1)[0];
        await caller.SendAsync(first).Within();
        await Waits.UntilAsync(() => atSupporter.Texts.Count == 1);

        await supporter.DisposeAsync(); // the process goes away: no goodbye, its store stays
        var inFlight = ConversationParty.UniqueTexts("in-flight-to-restarted-supporter", 5);
        var ids = new List<Guid>();
        foreach (var text in inFlight) ids.Add(await caller.SendAsync(text).Within());

        await using var restarted = new SupporterClient(App.RelayOptions(), "amy", PeerLineApp.Password, _device, store);
        var atRestarted = ConversationParty.Of(restarted);
        await restarted.ConnectAsync().Within();

        Assert.Equal(code, await restarted.EstablishedAsync(session).Within());
        await Waits.UntilAsync(() => atRestarted.Texts.Count >= 5, because: "the five arrive at the restarted supporter");
        Assert.Equal(inFlight, atRestarted.Texts);
        Assert.Equal(ids, atRestarted.Messages.Select(m => m.MessageId));
        var reply = ConversationParty.UniqueTexts("restarted-supporter-reply", 1)[0];
        await restarted.SendAsync(session, reply).Within();
        await Waits.UntilAsync(() => atCaller.Texts.Contains(reply) && atCaller.Delivered.Count >= 6);
        Assert.Same(established, caller.Established); // no new handshake on either side
        Assert.Equal(code, await caller.Established);
        Assert.Equal(6, atCaller.Delivered.Distinct().Count());
        Assert.Empty(atCaller.NotDelivered);
        AssertOwnerOnly(store.DirectoryPath);
    }

    [Fact]
    public async Task CallerClientRestarted_FiveSupporterMessagesInFlight_SameChannel_ItsUnsentMessagesGoOutAfterwards()
    {
        App.Start();
        await using var network = new FlakyNetwork(App.Port!.Value);
        var options = new RelayClientOptions { Server = network.BaseAddress, MaxReconnectDelay = TimeSpan.FromMilliseconds(300) };
        var store = new FileConversationStore(Path.Combine(_stores, "caller"));
        var trust = await App.PinnedTrustAsync();
        await using var supporter = await App.CertifiedSupporterAsync("bea", _device);
        var caller = new CallerClient(options, trust, store);
        var (atSupporter, atCaller) = (ConversationParty.Of(supporter), ConversationParty.Of(caller));
        await caller.RequestSupportAsync(Topics.Burnout, Priorities.Routine).Within();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        var code = await caller.Established.Within();
        var first = ConversationParty.UniqueTexts("before-caller-restart", 1)[0];
        await caller.SendAsync(first).Within();
        await Waits.UntilAsync(() => atSupporter.Texts.Count == 1 && atCaller.Delivered.Count == 1);

        network.Cut();
        // Written while the connection is down: sealed and kept, never held by the server before the process goes.
        var unsent = ConversationParty.UniqueTexts("kept-by-the-caller-unsent", 2);
        var unsentIds = new List<Task<Guid>>();
        foreach (var text in unsent)
        {
            unsentIds.Add(caller.SendAsync(text));
            await Waits.UntilAsync(() => caller.Undelivered == unsentIds.Count, because: "kept before it is sent");
        }
        var inFlight = ConversationParty.UniqueTexts("in-flight-to-restarted-caller", 5);
        foreach (var text in inFlight) await supporter.SendAsync(session, text).Within();
        await caller.DisposeAsync();
        var ids = await Task.WhenAll(unsentIds).Within(); // the ids were handed out when the messages were kept
        network.Restore();

        await using var resumed = (await CallerClient.LoadStoredAsync(options, trust, store).Within())!;
        var atResumed = ConversationParty.Of(resumed);
        await resumed.ResumeAsync().Within();

        Assert.Equal(code, await resumed.Established.Within());
        await Waits.UntilAsync(() => atResumed.Texts.Count >= 5 && atSupporter.Texts.Count >= 3, because: "both directions arrive");
        Assert.Equal(inFlight, atResumed.Texts);
        Assert.Equal([first, .. unsent], atSupporter.Texts);
        await Waits.UntilAsync(() => atResumed.Delivered.Count >= 2);
        Assert.Equal(ids, atResumed.Delivered.ToArray());
        Assert.Equal(code, await supporter.EstablishedAsync(session).Within());
        await Waits.UntilAsync(() => atSupporter.Delivered.Count >= 5, because: "the resumed caller acknowledges what it kept");
        AssertOwnerOnly(store.DirectoryPath);

        await resumed.EndAsync().Within();
        Assert.Null(await store.LoadAsync("caller")); // erased when the chat ends
    }

    [Fact]
    public async Task ServerKilledMidChat_MessagesInFlightBothWays_EverythingArrivesOnce_SameChannel()
    {
        await using var server = new ServerProcess();
        // The staff account and its certified device key are set up in-process on the same data directory first.
        await using (var setup = new PeerLineApp(dataDirectory: server.DataDirectory) { KeepData = true })
        {
            await (await setup.CertifiedSupporterAsync("cyd", _device)).DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        await server.StartAsync();
        var options = new RelayClientOptions { Server = server.Address, MaxReconnectDelay = TimeSpan.FromMilliseconds(300) };
        var supporterStore = new FileConversationStore(Path.Combine(_stores, "s"));
        await using var supporter = new SupporterClient(options, "cyd", PeerLineApp.Password, _device, supporterStore);
        await supporter.ConnectAsync().Within();
        await supporter.StartShiftAsync().Within();
        using var http = new HttpClient { BaseAddress = server.Address };
        var roster = await http.GetFromJsonAsync<RosterBody>("/api/roster");
        await using var caller = new CallerClient(options, RosterTrust.Pin(Convert.FromBase64String(roster!.PublicKey)),
            new FileConversationStore(Path.Combine(_stores, "c")));
        var (atSupporter, atCaller) = (ConversationParty.Of(supporter), ConversationParty.Of(caller));
        await caller.RequestSupportAsync(Topics.AdverseEvent, Priorities.Soon).Within();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        var code = await caller.Established.Within();
        Assert.Equal(code, await supporter.EstablishedAsync(session).Within());

        const int each = 10;
        var fromCaller = ConversationParty.UniqueTexts("across-the-kill-from-caller", each);
        var fromSupporter = ConversationParty.UniqueTexts("across-the-kill-from-supporter", each);
        var halfway = new CountdownEvent(2);
        async Task SendAll(IReadOnlyList<string> texts, Func<string, Task> send)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                await send(texts[i]);
                if (i == each / 2 - 1) halfway.Signal(); // the other half goes out while the server is down and after it is back
            }
        }
        var sending = Task.WhenAll(
            Task.Run(() => SendAll(fromCaller, t => caller.SendAsync(t))),
            Task.Run(() => SendAll(fromSupporter, t => supporter.SendAsync(session, t))));
        await Waits.UntilAsync(() => halfway.IsSet, because: "half of each side's messages are held by the server");

        await server.KillAsync();
        await server.StartAsync();

        await sending.Within(TimeSpan.FromMinutes(2));
        await Waits.UntilAsync(() => atSupporter.Texts.Count >= each && atCaller.Texts.Count >= each, TimeSpan.FromMinutes(1), "everything arrives");
        Assert.Equal(fromCaller, atSupporter.Texts);
        Assert.Equal(fromSupporter, atCaller.Texts);
        await Waits.UntilAsync(() => atCaller.Delivered.Count >= each && atSupporter.Delivered.Count >= each, TimeSpan.FromMinutes(1), "receipts");
        Assert.Equal(each, atCaller.Delivered.Distinct().Count());
        Assert.Equal(each, atSupporter.Delivered.Distinct().Count());
        Assert.Equal(code, await caller.Established);
        Assert.Equal(code, await supporter.EstablishedAsync(session));
        Assert.True(caller.Relay.Reconnects >= 1 && supporter.Relay.Reconnects >= 1, "both reconnected to the restarted server");
    }

    private static void AssertOwnerOnly(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        foreach (var file in Directory.GetFiles(directory, "*.state"))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    private sealed record RosterBody(string PublicKey);
}
