using System.Text;
using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Audit;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Audit;

/// <summary>
/// The whole trail as JSON lines: every event in seq order, each checkpoint right after the record it covers. The
/// export is itself an event, and a fresh checkpoint is signed first so the file ends signed.
/// </summary>
public sealed class AuditExport(IDbContextFactory<PeerLineDb> dbs, AuditTrail trail, ILogger<AuditExport> logger)
{
    private const int Batch = 1000;

    /// <returns>The number of records written.</returns>
    public async Task<long> WriteAsync(Stream output, string via, string? staffId, CancellationToken ct)
    {
        long existing;
        await using (var db = await dbs.CreateDbContextAsync(ct)) existing = await db.AuditEvents.LongCountAsync(ct);
        await trail.RecordAsync(new ExportMade(via, staffId, existing));
        var final = await trail.CheckpointAsync(ct);
        if (final is null) return 0;

        await using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        await using var read = await dbs.CreateDbContextAsync(ct);
        var checkpoints = await read.AuditCheckpoints.AsNoTracking().Where(c => c.Size <= final.Size).OrderBy(c => c.Size)
            .Select(c => new { c.Size, c.Note }).ToListAsync(ct);
        var next = 0;
        long written = 0, after = 0;
        while (true)
        {
            var rows = await read.AuditEvents.AsNoTracking()
                .Where(r => r.Seq > after && r.Seq <= final.Size).OrderBy(r => r.Seq).Take(Batch).ToListAsync(ct);
            if (rows.Count == 0) break;
            foreach (var row in rows)
            {
                await writer.WriteLineAsync(AuditEncoding.EventLine(AuditTrail.ToRecord(row)));
                written++;
                while (next < checkpoints.Count && checkpoints[next].Size <= row.Seq)
                {
                    if (checkpoints[next].Size == row.Seq) await writer.WriteLineAsync(AuditEncoding.CheckpointLine(checkpoints[next].Note));
                    next++;
                }
            }
            after = rows[^1].Seq;
        }
        await writer.FlushAsync(ct);
        AuditLog.Exported(logger, via, written);
        return written;
    }
}
