using System.Net.WebSockets;
using Microsoft.EntityFrameworkCore;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;
using static PeerLine.Tests.Relay.HavingAConversationTests;

namespace PeerLine.Tests.Relay;

/// <summary>Real Kestrel sockets: the caller's socket is cut five times and the server process restarts once mid-conversation.</summary>
public sealed class DeliveryThroughDropsAndRestartTests
{
    private const int PerDirection = 200;

    [Fact]
    public async Task TwoHundredEachWay_FiveCallerDropsAndARestart_EveryMessageExactlyOnceInOrder_NothingStoredAfterClose()
    {
        var first = new PeerLineApp(kestrel: true) { KeepData = true };
        first.Start();
        PeerLineApp? second = null;
        try
        {
            await first.CreateStaffAsync("dana");
            ClientWebSocket? callerSocket = null;
            var callerOptions = first.RelayOptions(o => o.WebSocketFactory = async (context, ct) =>
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(context.Uri, ct);
                callerSocket = socket;
                return socket;
            });

            await using var supporter = new SupporterRelayClient(first.RelayOptions(), "dana", PeerLineApp.Password);
            await supporter.ConnectAsync().Within();
            await supporter.StartShiftAsync().Within();
            await using var caller = new CallerRelayClient(callerOptions);
            await caller.RequestSupportAsync(Topics.AdverseEvent, Priorities.Soon).Within();
            var session = (await supporter.ClaimNextAsync().Within()).SessionId;

            var atSupporter = Collect(supporter);
            var atCaller = Collect(caller);
            var restartNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            var callerSends = Task.Run(async () =>
            {
                for (var i = 1; i <= PerDirection; i++)
                {
                    await caller.SendAsync(Bytes($"c{i}"));
                    if (i % 30 == 0 && i <= 150) callerSocket!.Abort(); // dropped five times: after 30, 60, 90, 120, 150
                    if (i == 100)
                    {
                        // The restart falls between two drops, while the supporter keeps sending.
                        restartNow.TrySetResult();
                        await restarted.Task;
                    }
                }
            });
            var supporterSends = Task.Run(async () =>
            {
                for (var i = 1; i <= PerDirection; i++) await supporter.SendAsync(session, Bytes($"s{i}"));
            });

            await restartNow.Task.Within(TimeSpan.FromMinutes(2));
            await first.DisposeAsync();
            second = new PeerLineApp(kestrel: true, dataDirectory: first.DataDirectory, port: first.Port);
            second.Start();
            restarted.TrySetResult();

            await Task.WhenAll(callerSends, supporterSends).Within(TimeSpan.FromMinutes(3));
            await Waits.UntilAsync(() => atSupporter.Count >= PerDirection && atCaller.Count >= PerDirection, TimeSpan.FromMinutes(1),
                "every message arrives");
            Assert.Equal(Enumerable.Range(1, PerDirection).Select(i => $"c{i}"), atSupporter.Select(Text));
            Assert.Equal(Enumerable.Range(1, PerDirection).Select(i => $"s{i}"), atCaller.Select(Text));
            Assert.True(caller.Reconnects >= 6, $"caller reconnected {caller.Reconnects} times");
            Assert.True(supporter.Reconnects >= 1, "supporter reconnected after the restart");

            await supporter.CloseAsync(session, Dispositions.Supported).Within();
            Assert.Equal(0, await second.DbAsync(db => db.Messages.CountAsync()));
            second.Logs.AssertNoErrors();
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
            first.KeepData = false;
            await first.DisposeAsync();
        }
    }
}
