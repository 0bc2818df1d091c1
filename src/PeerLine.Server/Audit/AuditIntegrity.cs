using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Audit;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Audit;

/// <summary>What the compliance view shows about the stored trail.</summary>
public sealed record IntegrityStatus(
    bool Intact, long Records, long FirstSeq, long LastSeq, long VerifiedThrough, DateTimeOffset? CheckpointSignedAt,
    long? FirstBadSeq, string? Problem, string PublicKey);

/// <summary>
/// Verifies the whole stored trail on every call with the same <see cref="AuditVerifier"/> the CLI uses: every hash
/// and link, every checkpoint signature, and the record signatures after the last checkpoint (before it, the signed
/// head hash vouches for them). Nothing is cached, so a row edited after an earlier check is still found.
/// </summary>
public sealed class AuditIntegrity(IDbContextFactory<PeerLineDb> dbs, AuditKey key, AuditTrail trail)
{
    private const int Batch = 2000;

    public async Task<IntegrityStatus> CheckAsync(CancellationToken ct)
    {
        var verifier = new AuditVerifier(key.PublicKey, deferSignatures: true);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var failure = await VerifyAllAsync(db, verifier, ct) ?? verifier.CheckUnanchored();
        var first = await db.AuditEvents.MinAsync(r => (long?)r.Seq, ct) ?? 0;
        var last = await db.AuditEvents.MaxAsync(r => (long?)r.Seq, ct) ?? 0;
        if (failure is null && verifier.MissingStart() is { } missing) failure = (first, missing);
        var signedSize = await db.AuditCheckpoints.MaxAsync(c => (long?)c.Size, ct) ?? 0;
        if (failure is null && signedSize > last)
            failure = (last + 1, $"records {last + 1} to {signedSize} are missing: a signed checkpoint covers them");

        // What is reported stops where the events list does: a count that moves with each new event would time it.
        var shownBefore = trail.ShownBefore();
        var count = await db.AuditEvents.LongCountAsync(r => r.At < shownBefore, ct);
        var shownLast = await db.AuditEvents.Where(r => r.At < shownBefore).MaxAsync(r => (long?)r.Seq, ct) ?? 0;
        return failure is { } bad
            ? new IntegrityStatus(false, count, first, shownLast, 0, null, bad.Seq, bad.Problem, Convert.ToBase64String(key.PublicKey))
            : new IntegrityStatus(true, count, first, shownLast, Math.Min(verifier.CoveredThrough, shownLast),
                verifier.LastCheckpoint?.SignedAt, null, null, Convert.ToBase64String(key.PublicKey));
    }

    private static async Task<(long Seq, string Problem)?> VerifyAllAsync(PeerLineDb db, AuditVerifier verifier, CancellationToken ct)
    {
        long after = 0;
        while (true)
        {
            var rows = await db.AuditEvents.AsNoTracking().Where(r => r.Seq > after).OrderBy(r => r.Seq).Take(Batch).ToListAsync(ct);
            if (rows.Count == 0) return null;
            var upTo = rows[^1].Seq;
            var checkpoints = await db.AuditCheckpoints.AsNoTracking().Where(c => c.Size > after && c.Size <= upTo)
                .ToDictionaryAsync(c => c.Size, c => c.Note, ct);
            foreach (var row in rows)
            {
                var problem = verifier.Add(AuditTrail.ToRecord(row));
                if (problem is null && checkpoints.TryGetValue(row.Seq, out var note)) problem = verifier.AddCheckpoint(note);
                if (problem is not null) return (row.Seq, problem);
            }
            after = upTo;
        }
    }
}
