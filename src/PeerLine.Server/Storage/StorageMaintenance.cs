using Microsoft.EntityFrameworkCore;
using PeerLine.Server.Hosting;

namespace PeerLine.Server.Storage;

/// <summary>
/// Checkpoints and truncates the SQLite write-ahead log on a timer. Until then the WAL still holds page images
/// from before a delete; after it, purged ciphertext exists nowhere on disk.
/// </summary>
public sealed class StorageMaintenance(
    IDbContextFactory<PeerLineDb> dbs, StorageOptions options, TimeProvider time, ILogger<StorageMaintenance> logger)
    : PeriodicWork(time)
{
    public async Task CheckpointAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", ct);
    }

    protected override TimeSpan Period => TimeSpan.FromSeconds(options.CheckpointSeconds);

    protected override Task TickAsync(CancellationToken ct) => CheckpointAsync(ct);

    protected override void TickFailed(string errorKind) => StorageLog.CheckpointFailed(logger, errorKind);
}

public static partial class StorageLog
{
    [LoggerMessage(5001, LogLevel.Warning, "WAL checkpoint failed: {ErrorKind}")]
    public static partial void CheckpointFailed(ILogger logger, string errorKind);
}
