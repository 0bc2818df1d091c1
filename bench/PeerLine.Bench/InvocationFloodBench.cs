using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace PeerLine.Bench;

/// <summary>
/// One connection invokes as fast as it can for a fixed time, a batch of calls in flight at once (each refused: it
/// acknowledges in a session it does not hold), and connects again whenever the server closes it. Measures the log
/// the server writes meanwhile.
/// </summary>
internal static class InvocationFloodBench
{
    private const int InFlight = 500;

    public static async Task RunAsync(int seconds)
    {
        await using var server = await AttackBench.StartServerAsync();
        var logBefore = server.LogBytes;
        var codes = new ConcurrentDictionary<string, long>();
        long invocations = 0, connections = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            await using var connection = AttackBench.CallerConnection(server.Address, "198.51.100.20");
            await connection.StartAsync();
            connections++;
            while (clock.Elapsed.TotalSeconds < seconds && connection.State == HubConnectionState.Connected)
            {
                invocations += InFlight;
                await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
                {
                    try
                    {
                        await connection.InvokeAsync("Acknowledge", "not-a-session", 0L);
                    }
                    catch (HubException e)
                    {
                        AttackBench.Tally(codes, AttackBench.CodeOf(e));
                    }
                    catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
                    {
                        AttackBench.Tally(codes, "connection-closed");
                    }
                }));
            }
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        await Task.Delay(500); // the server's last lines reach its log file
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            attack = "invocation-flood",
            seconds = Math.Round(elapsed, 1),
            invocations,
            connections,
            refusals = codes.OrderBy(c => c.Key).ToDictionary(),
            // The window's count lines (one per method and code) come when it ends, HubLimits:RefusalLogWindowSeconds.
            logBytesAdded = server.LogBytes - logBefore,
            serverPeakMemoryMiB = server.PeakMemoryMiB(),
        }));
    }
}
