using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Puzzle;
using PeerLine.Protocol.Wire;

namespace PeerLine.Bench;

/// <summary>
/// Attacker connections solve puzzles at full speed and ask for crisis support again and again, either each from
/// its own simulated source (a fresh X-Forwarded-For address whenever a source is refused) or all from one source.
/// Beside them: a lead on shift (counts crisis alerts), and, after a third of the phase, one real caller (routine)
/// and a supporter who claims the head of the queue and closes it until the real caller is the one claimed.
/// Each phase runs on a fresh server for a fixed time and prints one JSON line.
/// </summary>
internal static class QueueFloodBench
{
    private const string RealCallerSource = "198.51.100.1";
    private const string OneAttackerSource = "203.0.113.7";

    public static async Task RunAsync(int attackers, int seconds)
    {
        await RunPhaseAsync("many-sources", attackers, seconds);
        await RunPhaseAsync("one-source", attackers, seconds);
    }

    private static async Task RunPhaseAsync(string phase, int attackerCount, int seconds)
    {
        await using var server = await AttackBench.StartServerAsync();
        await server.AdminAsync(AttackBench.Password + "\n", "staff", "add", "--login", "lead", "--role", StaffRoles.Lead);
        await server.AdminAsync(AttackBench.Password + "\n", "staff", "add", "--login", "supporter", "--role", StaffRoles.Supporter);

        long alerts = 0;
        await using var lead = await AttackBench.StaffConnectionAsync(server.Address, "lead",
            c => c.On<CrisisAlert>(nameof(IStaffClient.CrisisAlert), _ => Interlocked.Increment(ref alerts)));
        await lead.InvokeAsync<ShiftStatus>(nameof(IStaffHub.StartShift), null);
        var supporter = new SupporterRelayClient(new RelayClientOptions { Server = server.Address }, "supporter", AttackBench.Password);
        await supporter.ConnectAsync();
        await supporter.StartShiftAsync();

        // The probe's first run enrols its device key; certified, it runs a whole encrypted session during the flood.
        var probeState = Directory.CreateTempSubdirectory("peerline-bench-probe").FullName;
        await server.AdminAsync(AttackBench.Password + "\n", "staff", "add", "--login", "probe", "--role", StaffRoles.Supporter);
        await ProbeAsync(server.Address, probeState);
        await server.AdminAsync("", "staff", "certify", "--login", "probe");

        var dataBefore = await AttackBench.SettledDataBytesAsync(server);
        var logBefore = server.LogBytes;
        using var end = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        using var attack = new Attack(server.Address, phase == "one-source", end.Token);
        var clock = Stopwatch.StartNew();
        var attackers = Enumerable.Range(0, attackerCount).Select(_ => Task.Run(attack.RunOneAsync)).ToList();

        // The real caller arrives when the flood is under way, and the supporter starts working the queue.
        await Task.Delay(TimeSpan.FromSeconds(seconds / 3.0));
        var probe = ProbeAsync(server.Address, probeState);
        var real = await RealCallerAsync(server.Address, supporter, end.Token);
        var (probeExit, probeSeconds) = await probe;
        await Task.WhenAll(attackers);
        var attackSeconds = clock.Elapsed.TotalSeconds;
        var logAdded = server.LogBytes - logBefore;
        var dataAfter = await AttackBench.SettledDataBytesAsync(server);

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            attack = "queue-flood",
            phase,
            attackers = attackerCount,
            seconds = Math.Round(attackSeconds),
            attackerRequestsAcceptedPerMinute = Math.Round(attack.Accepted * 60 / attackSeconds, 1),
            attackerRequestsAccepted = attack.Accepted,
            attackerSourcesUsed = attack.Sources,
            attackerRefusals = attack.Refusals.OrderBy(r => r.Key).ToDictionary(),
            puzzleBitsSeen = attack.Bits.IsEmpty ? null : $"{attack.Bits.Min()}-{attack.Bits.Max()}",
            realCallerAcceptedSeconds = real.AcceptedSeconds,
            realCallerPositionAtRequest = real.Position,
            realCallerClaimedSeconds = real.ClaimedSeconds,
            sessionsClosedBeforeTheRealCaller = real.ClosedBefore,
            probeExitCode = probeExit,
            probeSeconds,
            crisisAlertsPerMinute = Math.Round(Interlocked.Read(ref alerts) * 60 / attackSeconds, 1),
            databaseBytesAdded = dataAfter - dataBefore,
            logBytesAdded = logAdded,
            serverPeakMemoryMiB = server.PeakMemoryMiB(),
        }));
        await supporter.DisposeAsync();
        foreach (var connection in attack.Held) await connection.DisposeAsync();
    }

    /// <summary><c>peerline probe</c> in this process: exit code (0 = the whole session went through) and its time.</summary>
    private static async Task<(int Exit, double Seconds)> ProbeAsync(Uri server, string state)
    {
        var clock = Stopwatch.StartNew();
        string[] args = ["probe", "--server", server.ToString(), "--login", "probe", "--state", state, "--timeout", "60"];
        var exit = await PeerLine.Cli.Cli.RunAsync(args, new StringReader(AttackBench.Password + "\n"), TextWriter.Null, TextWriter.Null);
        return (exit, Math.Round(clock.Elapsed.TotalSeconds, 2));
    }

    private sealed record RealCaller(double? AcceptedSeconds, int? Position, double? ClaimedSeconds, int ClosedBefore);

    /// <summary>
    /// A routine request through the real client (it solves its puzzle too); then the supporter claims the head of the
    /// queue and closes it, again and again, until the session claimed is the real caller's, or the phase ends.
    /// </summary>
    private static async Task<RealCaller> RealCallerAsync(Uri server, SupporterRelayClient supporter, CancellationToken end)
    {
        await using var caller = new CallerRelayClient(new RelayClientOptions
        {
            Server = server,
            ConfigureConnection = o => o.Headers["X-Forwarded-For"] = RealCallerSource,
        });
        var clock = Stopwatch.StartNew();
        try
        {
            await caller.RequestSupportAsync(Topics.AdverseEvent, Priorities.Routine, end);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"the real caller was not accepted: {e.Message}");
            return new RealCaller(null, null, null, 0);
        }
        var accepted = clock.Elapsed.TotalSeconds;
        var closed = 0;
        while (!end.IsCancellationRequested)
        {
            SessionView claimed;
            try
            {
                claimed = await supporter.ClaimNextAsync(end);
            }
            catch (Exception e) when (e is RelayException or HubException)
            {
                continue; // queue-empty for a moment, or another refusal: try again
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (claimed.SessionId == caller.SessionId)
                return new RealCaller(Math.Round(accepted, 2), caller.Ticket!.Queue.Position, Math.Round(clock.Elapsed.TotalSeconds, 2), closed);
            await supporter.CloseAsync(claimed.SessionId, Dispositions.NotASupportRequest, CancellationToken.None);
            closed++;
        }
        return new RealCaller(Math.Round(accepted, 2), caller.Ticket!.Queue.Position, null, closed);
    }

    /// <summary>The attackers' shared state: at most one puzzle solved per core at a time, counts, and source addresses.</summary>
    private sealed class Attack(Uri server, bool oneSource, CancellationToken end) : IDisposable
    {
        private readonly SemaphoreSlim _cores = new(Environment.ProcessorCount);
        private long _accepted;
        private int _sources;

        public long Accepted => Interlocked.Read(ref _accepted);
        public int Sources => oneSource ? 1 : _sources;
        public ConcurrentDictionary<string, long> Refusals { get; } = new();
        public ConcurrentBag<int> Bits { get; } = [];

        /// <summary>
        /// One attacker: a connection per request (a caller-hub connection holds one session), kept open afterwards so
        /// the request stays waiting and is never abandoned; each connection from a fresh source unless one source.
        /// </summary>
        public async Task RunOneAsync()
        {
            while (!end.IsCancellationRequested)
            {
                var connection = AttackBench.CallerConnection(server, oneSource ? OneAttackerSource : NextSource());
                try
                {
                    await connection.StartAsync(end);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // 429 source-limit (or the server's connection caps): wait and try again.
                    await connection.DisposeAsync();
                    AttackBench.Tally(Refusals, "connection-refused");
                    await PauseAsync();
                    continue;
                }
                catch (OperationCanceledException)
                {
                    await connection.DisposeAsync();
                    return;
                }
                if (await RequestOnceAsync(connection)) Held.Add(connection);
                else await connection.DisposeAsync();
            }
        }

        /// <summary>The connections that hold an accepted request, to close when the phase is over.</summary>
        public ConcurrentBag<HubConnection> Held { get; } = [];

        /// <summary>Challenge, solve, request crisis support; again until accepted, the source refused or the connection lost.</summary>
        private async Task<bool> RequestOnceAsync(HubConnection connection)
        {
            while (!end.IsCancellationRequested)
            {
                try
                {
                    var challenge = await connection.InvokeAsync<PuzzleChallenge>(nameof(ICallerHub.Challenge), end);
                    Bits.Add(challenge.Bits);
                    PuzzleProof proof;
                    await _cores.WaitAsync(end);
                    try
                    {
                        proof = await Task.Run(() => ProofOfWork.Solve(challenge, end), end);
                    }
                    finally
                    {
                        _cores.Release();
                    }
                    await connection.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.AdverseEvent, Priorities.Crisis, proof, end);
                    Interlocked.Increment(ref _accepted);
                    return true;
                }
                catch (HubException e)
                {
                    var code = AttackBench.CodeOf(e);
                    AttackBench.Tally(Refusals, code);
                    if (code == ErrorCodes.SourceLimit && !oneSource) return false; // a fresh source for this attacker
                    if (code is ErrorCodes.RateLimited or ErrorCodes.SourceLimit or ErrorCodes.Internal or ErrorCodes.WrongState) await PauseAsync();
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
                catch (InvalidOperationException)
                {
                    AttackBench.Tally(Refusals, "connection-closed");
                    return false;
                }
            }
            return false;
        }

        public void Dispose() => _cores.Dispose();

        private async Task PauseAsync()
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), end);
            }
            catch (OperationCanceledException)
            {
            }
        }

        private string NextSource()
        {
            var n = Interlocked.Increment(ref _sources);
            return $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}";
        }
    }
}
