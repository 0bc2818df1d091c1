using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Hosting;
using PeerLine.Server.Hubs;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Queue;

/// <summary>
/// Claims are decided in the database: one transaction takes a capacity slot and flips the session from
/// waiting to active with a conditional update. Whoever's update matches the row wins; nobody else can.
/// </summary>
public sealed class ClaimService(
    IDbContextFactory<PeerLineDb> dbs,
    QueueReader reader,
    QueueNotifier notifier,
    ClientPush push,
    AuditTrail audit,
    TimeProvider time,
    ILogger<ClaimService> logger)
{
    private const int RaceRetries = 8;

    /// <summary>Claims the head of the queue (skipping sessions offered to someone else).</summary>
    public Task<SessionView> ClaimNextAsync(string supporterId, CancellationToken ct) => ClaimAsync(supporterId, null, ct);

    /// <summary>Claims a chosen waiting session, or the head of the queue when <paramref name="sessionId"/> is null.</summary>
    public async Task<SessionView> ClaimAsync(string supporterId, string? sessionId, CancellationToken ct)
    {
        var now = time.NowMs();
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        var slotRefusal = await SessionClosing.TakeSlotAsync(db, supporterId, now, ct);
        if (slotRefusal is not null) throw new PeerLineException(slotRefusal);

        var claim = (sessionId is null
            ? await ClaimHeadAsync(db, supporterId, now, ct)
            : await TryClaimAsync(db, sessionId, supporterId, now, ct))
            ?? throw new PeerLineException(sessionId is null ? ErrorCodes.QueueEmpty : ErrorCodes.AlreadyClaimed);
        await tx.CommitAsync(ct);

        var claimed = claim.SessionId;
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == claimed, ct);
        QueueLog.Claimed(logger, (now - session.RequestedAt) / 1000);
        if (claim.First)
        {
            // A session's own audit events begin here: a request nobody claimed is only counted (RequestCounter).
            await audit.RecordAsync(new SessionRequested(claimed, session.Topic, session.Priority, session.Returning));
            if (claim.Offer is not null) await audit.RecordAsync(new SessionOffered(claimed, supporterId, claim.Offer));
        }
        await audit.RecordAsync(new SessionClaimed(claimed, supporterId, audit.WaitSeconds(now - session.RequestedAt)));
        notifier.QueueChanged();
        await push.ToCaller(claimed, SessionState.Active, ChangeReasons.Claimed);
        return await reader.ViewAsync(db, session, SessionRoles.Supporter, ct);
    }

    /// <summary>A supporter lets a push offer go; it moves on at the next dispatch.</summary>
    public async Task DeclineAsync(string supporterId, string sessionId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var declined = await db.Sessions
            .Where(s => s.Id == sessionId && s.State == SessionState.Waiting && s.OfferedTo == supporterId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.OfferedTo, (string?)null).SetProperty(s => s.OfferExpiresAt, (long?)null), ct);
        if (declined == 0) throw new PeerLineException(ErrorCodes.NotFound);
        notifier.QueueChanged();
    }

    /// <param name="First">Never claimed before (not a session handed back to the queue).</param>
    /// <param name="Offer">"return" or "push" when the supporter took a session offered to them, else null.</param>
    private sealed record Claim(string SessionId, bool First, string? Offer);

    private static async Task<Claim?> ClaimHeadAsync(PeerLineDb db, string supporterId, long now, CancellationToken ct)
    {
        for (var attempt = 0; attempt < RaceRetries; attempt++)
        {
            var head = await QueueReader.InServiceOrder(db.Sessions)
                .Where(s => s.OfferedTo == null || s.OfferedTo == supporterId || s.OfferExpiresAt <= now)
                .Select(s => s.Id).FirstOrDefaultAsync(ct);
            if (head is null) return null;
            if (await TryClaimAsync(db, head, supporterId, now, ct) is { } claim) return claim;
        }
        return null;
    }

    /// <summary>
    /// The conditional update decides the claim; what the session was before it (read in the same transaction, which
    /// holds the capacity slot's write) says whether this is its first claim and whether it was offered to this supporter.
    /// </summary>
    private static async Task<Claim?> TryClaimAsync(PeerLineDb db, string sessionId, string supporterId, long now, CancellationToken ct)
    {
        var before = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId)
            .Select(s => new { s.ClaimedAt, s.OfferedTo, s.OfferExpiresAt, s.Returning }).SingleOrDefaultAsync(ct);
        if (before is null || !await UpdateClaimAsync(db, sessionId, supporterId, now, ct)) return null;
        var offered = before.OfferedTo == supporterId && before.OfferExpiresAt > now;
        return new Claim(sessionId, before.ClaimedAt is null, offered ? before.Returning ? "return" : "push" : null);
    }

    private static async Task<bool> UpdateClaimAsync(PeerLineDb db, string sessionId, string supporterId, long now, CancellationToken ct) =>
        await db.Sessions
            .Where(s => s.Id == sessionId && s.State == SessionState.Waiting &&
                        (s.OfferedTo == null || s.OfferedTo == supporterId || s.OfferExpiresAt <= now))
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.State, SessionState.Active)
                .SetProperty(s => s.SupporterId, supporterId)
                .SetProperty(s => s.ClaimedAt, s => s.ClaimedAt ?? now)
                .SetProperty(s => s.OfferedTo, (string?)null)
                .SetProperty(s => s.OfferExpiresAt, (long?)null), ct) == 1;
}
