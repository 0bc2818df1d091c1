using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using PeerLine.Bench;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;

// Relay throughput: N concurrent sessions, each caller sends M messages of B bytes to its supporter; every message
// is stored durably before the sender's call returns, delivered, and acknowledged (which deletes it).
// Usage: dotnet run -c Release --project bench/PeerLine.Bench -- [--sessions 50] [--messages 200] [--bytes 1024]
// The audit trail instead: ... -- --audit 20000 [--writers 8]
// Attacks (docs/benchmarks.md#abuse-resistance): ... -- --attack queue-flood [--attackers 40] [--seconds 60]
//                                                ... -- --attack invocation-flood [--seconds 10]
var attack = Array.IndexOf(args, "--attack") is var a and >= 0 && a + 1 < args.Length ? args[a + 1] : null;
if (attack == "queue-flood")
{
    await QueueFloodBench.RunAsync(Arg("--attackers", 40), Arg("--seconds", 60));
    return 0;
}
if (attack == "invocation-flood")
{
    await InvocationFloodBench.RunAsync(Arg("--seconds", 10));
    return 0;
}
if (attack is not null)
{
    Console.Error.WriteLine("--attack is queue-flood or invocation-flood");
    return 2;
}
if (args.Contains("--audit"))
{
    await AuditBench.RunAsync(Arg("--audit", 20000), Arg("--writers", 8));
    return 0;
}
var sessions = Arg("--sessions", 50);
var messages = Arg("--messages", 200);
var bytes = Arg("--bytes", 1024);
const int perSupporter = 10;
const string password = "benchmark passphrase";

await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
{
    ["StaffAuth:LoginsPerMinute"] = "10000",
    ["HubLimits:InvocationsPerSecond"] = "100000",
    ["HubLimits:InvocationBurst"] = "100000",
    ["Queue:MaxCapacity"] = perSupporter.ToString(),
});
var options = new RelayClientOptions { Server = server.Address };

var supporters = new List<SupporterRelayClient>();
for (var s = 0; s * perSupporter < sessions; s++)
{
    await server.AdminAsync(password + "\n", "staff", "add", "--login", $"bench{s}", "--role", "supporter");
    var supporter = new SupporterRelayClient(options, $"bench{s}", password);
    await supporter.ConnectAsync();
    await supporter.StartShiftAsync(perSupporter);
    supporters.Add(supporter);
}

var received = 0;
var done = new TaskCompletionSource();
foreach (var supporter in supporters)
    supporter.MessageReceived = _ =>
    {
        if (Interlocked.Increment(ref received) == sessions * messages) done.TrySetResult();
        return Task.CompletedTask;
    };

var callers = new List<CallerRelayClient>();
for (var i = 0; i < sessions; i++)
{
    var caller = new CallerRelayClient(options);
    await caller.RequestSupportAsync(Topics.AdverseEvent, Priorities.Routine);
    callers.Add(caller);
    await supporters[i / perSupporter].ClaimNextAsync();
}

var payload = new byte[bytes];
Random.Shared.NextBytes(payload);
var latencies = new ConcurrentBag<double>();
var clock = Stopwatch.StartNew();
await Task.WhenAll(callers.Select(caller => Task.Run(async () =>
{
    for (var m = 0; m < messages; m++)
    {
        var started = Stopwatch.GetTimestamp();
        await caller.SendAsync(payload);
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
})));
var sendSeconds = clock.Elapsed.TotalSeconds;
await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
var totalSeconds = clock.Elapsed.TotalSeconds;

var sorted = latencies.Order().ToArray();
var result = new
{
    benchmark = "relay-store-until-ack",
    sessions,
    messagesPerSession = messages,
    bytes,
    totalMessages = sessions * messages,
    storedPerSecond = Math.Round(sessions * messages / sendSeconds),
    deliveredPerSecond = Math.Round(sessions * messages / totalSeconds),
    sendLatencyMsP50 = Math.Round(sorted[sorted.Length / 2], 2),
    sendLatencyMsP99 = Math.Round(sorted[(int)(sorted.Length * 0.99)], 2),
    serverPeakMemoryMiB = server.PeakMemoryMiB(),
    machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
};
Console.WriteLine(JsonSerializer.Serialize(result));

foreach (var c in callers) await c.DisposeAsync();
foreach (var s in supporters) await s.DisposeAsync();
return 0;

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}
