using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace PeerLine.Bench;

/// <summary>
/// One connection invokes as fast as it can for a fixed time (each call refused: it acknowledges in a session it does
/// not hold), reconnecting whenever the server closes it. Measures the log the server writes meanwhile.
/// </summary>
internal static class InvocationFloodBench
{
    public static async Task RunAsync(int seconds)
    {
        await using var server = await AttackBench.StartServerAsync();
        var logBefore = server.LogBytes;
        var codes = new ConcurrentDictionary<string, long>();
        long invocations = 0, closedByServer = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            await using var connection = AttackBench.CallerConnection(server.Address, "198.51.100.20");
            await connection.StartAsync();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                invocations++;
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
                    closedByServer++;
                    break;
                }
            }
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        // The refusal log's window has not ended: the count lines still to come are a few more lines per window.
        await Task.Delay(500); // the server's last lines reach its log file
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            attack = "invocation-flood",
            seconds = Math.Round(elapsed, 1),
            invocations,
            refusals = codes.OrderBy(c => c.Key).ToDictionary(),
            closedByServer,
            logBytesAdded = server.LogBytes - logBefore,
            serverPeakMemoryMiB = server.PeakMemoryMiB(),
        }));
    }
}
