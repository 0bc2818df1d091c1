using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PeerLine.Client.Relay;
using PeerLine.Server.Relay;
using PeerLine.Tests.Infrastructure;
using static PeerLine.Tests.Relay.HavingAConversationTests;

namespace PeerLine.Tests.Relay;

/// <summary>
/// The .NET client against a small quota (three messages held): the caller writes forty messages to a supporter who
/// reads nothing at first and then one message at a time. The client waits out held-full and goes on.
/// </summary>
public sealed class WritingToASlowReaderTests() : AppScenario(new PeerLineApp(HeldCiphertextQuotaTests.Limits))
{
    private const int Count = 40;

    [Fact]
    public async Task FortyMessagesPastAQuotaOfThree_EachArrivesOnceInOrder_NeverMoreThanThreeHeld()
    {
        await using var supporter = await App.SupporterOnShiftAsync("gus");
        await using var caller = await App.RequestSupportAsync();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        var reads = new SemaphoreSlim(0);
        var received = new ConcurrentQueue<ReceivedMessage>();
        supporter.MessageReceived = async m =>
        {
            await reads.WaitAsync(); // the supporter reads (and so acknowledges) one message per permit
            received.Enqueue(m);
        };
        var delivered = 0L;
        caller.Delivered += r => Interlocked.Exchange(ref delivered, Math.Max(Interlocked.Read(ref delivered), r.UpToSeq));

        var sending = Task.Run(async () =>
        {
            for (var i = 1; i <= Count; i++) await caller.SendAsync(Bytes($"m{i}"));
        });
        await Waits.UntilAsync(() => caller.HeldFullWaits > 0, because: "the fourth send meets the quota");
        Assert.Equal(3, await HeldCount(session));
        Assert.Equal(0, Interlocked.Read(ref delivered));

        while (!sending.IsCompleted || received.Count < Count)
        {
            var before = received.Count;
            reads.Release();
            await Waits.UntilAsync(() => received.Count > before, because: "the supporter reads one more");
            Assert.True(await HeldCount(session) <= 3, "never more than the quota held");
            Assert.True(Interlocked.Read(ref delivered) <= received.Count, "nothing reported delivered before it was read");
        }

        await sending.Within();
        Assert.Equal(Enumerable.Range(1, Count).Select(i => $"m{i}"), received.Select(Text));
        await Waits.UntilAsync(() => Interlocked.Read(ref delivered) == Count, because: "the last receipt arrives");
        await Waits.UntilAsync(async () => await HeldCount(session) == 0, because: "everything acknowledged is deleted");
        Assert.True(caller.HeldFullWaits >= 2, $"held-full met {caller.HeldFullWaits} times");
    }

    private Task<int> HeldCount(string session) =>
        App.DbAsync(db => db.Messages.CountAsync(m => m.SessionId == session && m.Direction == Direction.CallerToSupporter));
}
