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

        var claimed = (sessionId is null
            ? await ClaimHeadAsync(db, supporterId, now, ct)
            : await TryClaimAsync(db, sessionId, supporterId, now, ct) ? sessionId : null)
            ?? throw new PeerLineException(sessionId is null ? ErrorCodes.QueueEmpty : ErrorCodes.AlreadyClaimed);
        await tx.CommitAsync(ct);

        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == claimed, ct);
        QueueLog.Claimed(logger, (now - session.RequestedAt) / 1000);
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

    private static async Task<string?> ClaimHeadAsync(PeerLineDb db, string supporterId, long now, CancellationToken ct)
    {
        for (var attempt = 0; attempt < RaceRetries; attempt++)
        {
            var head = await QueueReader.InServiceOrder(db.Sessions)
                .Where(s => s.OfferedTo == null || s.OfferedTo == supporterId || s.OfferExpiresAt <= now)
                .Select(s => s.Id).FirstOrDefaultAsync(ct);
            if (head is null) return null;
            if (await TryClaimAsync(db, head, supporterId, now, ct)) return head;
        }
        return null;
    }

    private static async Task<bool> TryClaimAsync(PeerLineDb db, string sessionId, string supporterId, long now, CancellationToken ct) =>
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
