using Microsoft.EntityFrameworkCore;

namespace PeerLine.Server.Storage;

/// <summary>
/// Checkpoints and truncates the SQLite write-ahead log on a timer. Until then the WAL still holds page images
/// from before a delete; after it, purged ciphertext exists nowhere on disk.
/// </summary>
public sealed class StorageMaintenance(IDbContextFactory<PeerLineDb> dbs, StorageOptions options, TimeProvider time, ILogger<StorageMaintenance> logger)
    : BackgroundService
{
    public async Task CheckpointAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.CheckpointSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await CheckpointAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { StorageLog.CheckpointFailed(logger, e.GetType().Name); }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

public static partial class StorageLog
{
    [LoggerMessage(5001, LogLevel.Warning, "WAL checkpoint failed: {ErrorKind}")]
    public static partial void CheckpointFailed(ILogger logger, string errorKind);
}
