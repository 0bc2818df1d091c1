using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Audit;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Audit;

/// <summary>
/// Appends events to the hash chain and signs checkpoints. Appends are serialised in this process and decided by
/// the primary key across processes (the admin commands write too): a lost race reads the new head and retries.
/// An append that still fails is logged and does not fail the caller's or supporter's action.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification =
    "A singleton for the life of the process. Its SemaphoreSlim never creates a wait handle (AvailableWaitHandle is "
    + "not used), so disposing it frees nothing, and an append still waiting at shutdown would then throw.")]
public sealed class AuditTrail(
    IDbContextFactory<PeerLineDb> dbs,
    AuditKey key,
    TimeProvider time,
    IOptions<AuditOptions> options,
    ILogger<AuditTrail> logger)
{
    private const int Attempts = 5;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly AuditPseudonyms _ids = new(id => key.Pseudonym("session", id), id => key.Pseudonym("staff", id));

    /// <summary>A wait as the trail records it: rounded to <see cref="AuditOptions.WaitResolutionSeconds"/>.</summary>
    public long WaitSeconds(long waitedMs)
    {
        var step = options.Value.WaitResolutionSeconds;
        return (long)Math.Round(Math.Max(0, waitedMs) / 1000.0 / step, MidpointRounding.AwayFromZero) * step;
    }

    /// <summary>
    /// Events stored at or after this time (Unix ms) belong to the period under way: readers see them only once it is
    /// over, unless <see cref="AuditOptions.ListOpenPeriod"/> is on.
    /// </summary>
    public long ShownBefore() => options.Value.ListOpenPeriod ? long.MaxValue : Coarsen(time.GetUtcNow()).ToUnixTimeMilliseconds();

    /// <summary>The pseudonym a staff id has in the trail.</summary>
    public string StaffPseudonym(string staffId) => _ids.Staff(staffId);

    /// <summary>
    /// Appends one event; returns its seq, or null when it could not be written (logged). Not cancellable: an action
    /// that happened is recorded even when the connection that asked for it is gone.
    /// </summary>
    public async Task<long?> RecordAsync(AuditEvent e)
    {
        Dictionary<string, object> fields;
        try
        {
            fields = e.Fields(_ids);
            if (AuditValues.Check(fields) is not null || !AuditValues.IsCode(e.Kind))
                throw new ArgumentException("An audit event holds codes and counts only.", nameof(e));
        }
        catch (Exception ex)
        {
            AuditLog.AppendFailed(logger, AuditValues.IsCode(e.Kind) ? e.Kind : "invalid", ex.GetType().Name);
            return null;
        }
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try { return await AppendAsync(e.Kind, fields); }
                catch (Exception ex) when (attempt < Attempts && ex is DbUpdateException or InvalidOperationException or DbException)
                {
                    await Task.Delay(10 * attempt, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    AuditLog.AppendFailed(logger, e.Kind, ex.GetType().Name);
                    return null;
                }
            }
        }
        finally { _gate.Release(); }
    }

    /// <summary>Signs a checkpoint of the head when it is not signed yet; returns the newest checkpoint (or null for an empty trail).</summary>
    public async Task<AuditCheckpointRow?> CheckpointAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var head = await db.AuditEvents.AsNoTracking().OrderByDescending(r => r.Seq).Select(r => new { r.Seq, r.Hash }).FirstOrDefaultAsync(ct);
            var last = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Size).FirstOrDefaultAsync(ct);
            if (head is null || last?.Size == head.Seq) return last;

            // Rounded like the events: a finer time would say when the events just before it happened.
            var signedAt = Coarsen(time.GetUtcNow());
            var checkpoint = new AuditCheckpoint(options.Value.Origin, head.Seq, head.Hash, signedAt);
            var row = new AuditCheckpointRow
            {
                Size = head.Seq, Head = head.Hash, SignedAt = signedAt.ToUnixTimeMilliseconds(), Note = key.SignCheckpoint(checkpoint),
            };
            db.AuditCheckpoints.Add(row);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            AuditLog.CheckpointSigned(logger, head.Seq);
            return row;
        }
        finally { _gate.Release(); }
    }

    private async Task<long> AppendAsync(string kind, Dictionary<string, object> fields)
    {
        await using var db = await dbs.CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        var head = await db.AuditEvents.AsNoTracking().OrderByDescending(r => r.Seq).Select(r => new { r.Seq, r.Hash }).FirstOrDefaultAsync();
        var seq = (head?.Seq ?? 0) + 1;
        var prev = head?.Hash ?? new byte[AuditRecord.HashBytes];
        var at = Coarsen(time.GetUtcNow());
        var hash = AuditEncoding.HashOf(seq, at, kind, fields, prev);
        db.AuditEvents.Add(new AuditEventRow
        {
            Seq = seq, At = at.ToUnixTimeMilliseconds(), Kind = kind, Fields = JsonSerializer.Serialize(fields),
            Prev = prev, Hash = hash, Signature = key.SignRecord(hash),
        });
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return seq;
    }

    private DateTimeOffset Coarsen(DateTimeOffset t)
    {
        var step = TimeSpan.FromMinutes(options.Value.TimeResolutionMinutes).Ticks;
        var utc = t.UtcTicks;
        return new DateTimeOffset(utc - utc % step, TimeSpan.Zero);
    }

    /// <summary>A stored row as the protocol's record.</summary>
    public static AuditRecord ToRecord(AuditEventRow row)
    {
        var fields = new SortedDictionary<string, object>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(row.Fields);
        foreach (var f in doc.RootElement.EnumerateObject())
            fields[f.Name] = f.Value.ValueKind == JsonValueKind.Number ? f.Value.GetInt64() : f.Value.GetString()!;
        return new AuditRecord(row.Seq, DateTimeOffset.FromUnixTimeMilliseconds(row.At), row.Kind, fields, row.Prev, row.Hash, row.Signature);
    }
}

public static partial class AuditLog
{
    [LoggerMessage(12001, LogLevel.Error, "Audit event {Kind} could not be written: {ErrorKind}")]
    public static partial void AppendFailed(ILogger logger, string kind, string errorKind);

    [LoggerMessage(12002, LogLevel.Information, "Audit checkpoint signed at size {Size}")]
    public static partial void CheckpointSigned(ILogger logger, long size);

    [LoggerMessage(12003, LogLevel.Warning, "Audit checkpointer pass failed: {ErrorKind}")]
    public static partial void CheckpointFailed(ILogger logger, string errorKind);

    [LoggerMessage(12004, LogLevel.Information, "Audit export made ({Via}, {Records} records)")]
    public static partial void Exported(ILogger logger, string via, long records);

    [LoggerMessage(12005, LogLevel.Error, "Request count could not be written: {ErrorKind}")]
    public static partial void CountFailed(ILogger logger, string errorKind);
}
