using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PeerLine.Protocol.Audit;
using PeerLine.Server.Audit;
using PeerLine.Server.Queue;
using PeerLine.Server.Storage;

namespace PeerLine.Bench;

/// <summary>
/// The audit trail on a real SQLite file (the server's defaults): appends one at a time and from concurrent callers,
/// then an export and its verification (the CLI's verifier), and the compliance view's integrity check.
/// </summary>
public static class AuditBench
{
    public static async Task RunAsync(int events, int writers)
    {
        var data = Path.Combine(Path.GetTempPath(), "peerline-bench-audit-" + Guid.NewGuid().ToString("N"));
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["data"] = data;
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddPeerLineStorage(builder.Configuration);
        builder.Services.AddAuditTrail();
        builder.Services.AddSingleton<AuditIntegrity>();
        using var host = builder.Build();
        await host.Services.MigrateDatabaseAsync();
        var trail = host.Services.GetRequiredService<AuditTrail>();

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < events / 2; i++) await trail.RecordAsync(new SessionClaimed($"s{i}", "staff", 30));
        var sequential = events / 2 / clock.Elapsed.TotalSeconds;

        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < events / 2 / writers; i++)
                await trail.RecordAsync(new SessionRequested($"w{w}-{i}", Topic.Burnout, Priority.Routine, false));
        })));
        var concurrent = events / 2 / clock.Elapsed.TotalSeconds;

        var file = Path.Combine(data, "export.jsonl");
        clock.Restart();
        var export = host.Services.GetRequiredService<AuditExport>();
        await using (var output = File.Create(file)) await export.WriteAsync(output, "cli", null, CancellationToken.None);
        var exportSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var verifier = new AuditVerifier(host.Services.GetRequiredService<AuditKey>().PublicKey);
        foreach (var line in File.ReadLines(file))
        {
            if (!AuditEncoding.TryParseLine(line, out var record, out var note, out var unreadable)) throw new InvalidOperationException(unreadable);
            var problem = record is not null ? verifier.Add(record) : verifier.AddCheckpoint(note!);
            if (problem is not null) throw new InvalidOperationException(problem);
        }
        var verifySeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var status = await host.Services.GetRequiredService<AuditIntegrity>().CheckAsync(CancellationToken.None);
        var integritySeconds = clock.Elapsed.TotalSeconds;

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            events = verifier.Records,
            appendsPerSecondSequential = Math.Round(sequential),
            appendsPerSecondConcurrent = Math.Round(concurrent),
            writers,
            exportSeconds = Math.Round(exportSeconds, 2),
            exportBytes = new FileInfo(file).Length,
            verifyRecordsPerSecond = Math.Round(verifier.Records / verifySeconds),
            integrityCheckSeconds = Math.Round(integritySeconds, 2),
            intact = status.Intact,
        }));
        SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }
}
