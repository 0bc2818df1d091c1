using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Relay;

public sealed class HavingAConversationTests() : AppScenario
{
    [Fact]
    public async Task ClaimAndExchange_BothWays_EachSideReceivesInOrderAndDeliveryIsReported()
    {
        await using var supporter = await App.SupporterOnShiftAsync("sam");
        await using var caller = await App.RequestSupportAsync(Topics.PatientDeath, Priorities.Soon);
        var atSupporter = Collect(supporter);
        var atCaller = Collect(caller);
        var receipts = new ConcurrentBag<DeliveryReceipt>();
        caller.Delivered += receipts.Add;
        var claimedSeen = new TaskCompletionSource<SessionChange>();
        caller.SessionChanged += c => claimedSeen.TrySetResult(c);

        var view = await supporter.ClaimNextAsync().Within();
        Assert.Equal(caller.SessionId, view.SessionId);
        Assert.Equal(Topics.PatientDeath, view.Topic);
        Assert.Equal(Priorities.Soon, view.Priority);
        Assert.Equal(SessionStates.Active, (await claimedSeen.Task.Within()).State);

        for (var i = 1; i <= 5; i++) Assert.Equal(i, await caller.SendAsync(Bytes($"c{i}")).Within());
        for (var i = 1; i <= 3; i++) Assert.Equal(i, await supporter.SendAsync(view.SessionId, Bytes($"s{i}")).Within());

        await Waits.UntilAsync(() => atSupporter.Count == 5 && atCaller.Count == 3);
        Assert.Equal(["c1", "c2", "c3", "c4", "c5"], atSupporter.Select(Text));
        Assert.Equal(["s1", "s2", "s3"], atCaller.Select(Text));
        await Waits.UntilAsync(() => receipts.Any(r => r.UpToSeq == 5), because: "caller told its messages were delivered");
        await Waits.UntilAsync(async () => await App.DbAsync(db => db.Messages.CountAsync()) == 0, because: "acknowledged ciphertext deleted");
        App.Logs.AssertNoErrors();
    }

    [Fact]
    public async Task SendTooLarge_Refused_SessionKeepsWorking()
    {
        await using var supporter = await App.SupporterOnShiftAsync("tara");
        await using var caller = await App.RequestSupportAsync();
        var view = await supporter.ClaimNextAsync().Within();

        var error = await Assert.ThrowsAsync<RelayException>(() => caller.SendAsync(new byte[16 * 1024 + 1]).Within());
        Assert.Equal(ErrorCodes.TooLarge, error.Code);

        var atSupporter = Collect(supporter);
        await caller.SendAsync(new byte[16 * 1024]).Within();
        await Waits.UntilAsync(() => atSupporter.Count == 1);
        Assert.Equal(view.SessionId, atSupporter.Single().SessionId);
    }

    [Fact]
    public async Task CloseBySupporter_DeletesAllCiphertextAndTellsTheCaller()
    {
        await using var supporter = await App.SupporterOnShiftAsync("uma");
        await using var caller = await App.RequestSupportAsync();
        var view = await supporter.ClaimNextAsync().Within();
        supporter.MessageReceived = _ => Task.Delay(Timeout.Infinite); // never acknowledges: everything stays stored
        await caller.SendAsync(Bytes("kept until close")).Within();
        await caller.SendAsync(Bytes("kept until close 2")).Within();
        Assert.Equal(2, await App.DbAsync(db => db.Messages.CountAsync()));
        var closed = new TaskCompletionSource<SessionChange>();
        caller.SessionChanged += c => { if (c.State == SessionStates.Closed) closed.TrySetResult(c); };

        await supporter.CloseAsync(view.SessionId, Dispositions.Supported).Within();

        Assert.Equal(ChangeReasons.ClosedBySupporter, (await closed.Task.Within()).Reason);
        Assert.Equal(0, await App.DbAsync(db => db.Messages.CountAsync()));
        var error = await Assert.ThrowsAsync<RelayException>(() => caller.SendAsync(Bytes("late")).Within());
        Assert.Equal(ErrorCodes.WrongState, error.Code);
    }

    internal static ConcurrentQueue<ReceivedMessage> Collect(RelayConnection connection)
    {
        var received = new ConcurrentQueue<ReceivedMessage>();
        connection.MessageReceived = m => { received.Enqueue(m); return Task.CompletedTask; };
        return received;
    }

    internal static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    internal static string Text(ReceivedMessage m) => Encoding.UTF8.GetString(m.Ciphertext);
}
