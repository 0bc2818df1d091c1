using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Escalation;
using PeerLine.Server.Hosting;
using PeerLine.Server.Hubs;
using PeerLine.Server.Retention;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Queue;

/// <summary>
/// On a timer (through <see cref="TimeProvider"/>, so tests drive it): waiting callers gone past the grace period
/// become abandoned, lapsed offers are taken back, ciphertext left behind by a closed session is purged, and the rows of
/// requests that ended without a claim are deleted after <see cref="RetentionOptions.UnansweredRequestMinutes"/>.
/// </summary>
public sealed class QueueSweeper(
    IDbContextFactory<PeerLineDb> dbs,
    QueueNotifier notifier,
    ClientPush push,
    RoutingRules routing,
    AuditTrail audit,
    RequestCounter counts,
    TimeProvider time,
    IOptionsMonitor<QueueOptions> options,
    IOptionsMonitor<RetentionOptions> retention,
    ILogger<QueueSweeper> logger) : PeriodicWork(time)
{
    private long _lastSweep = time.NowMs();
    private bool? _covered;

    protected override TimeSpan Period => TimeSpan.FromSeconds(options.CurrentValue.SweepIntervalSeconds);

    protected override Task TickAsync(CancellationToken ct) => SweepAsync(ct);

    protected override void TickFailed(string errorKind) => QueueLog.SweepFailed(logger, errorKind);

    public async Task SweepAsync(CancellationToken ct)
    {
        var now = Time.NowMs();
        var o = options.CurrentValue;
        await using var db = await dbs.CreateDbContextAsync(ct);

        var awayBefore = now - o.AwayGraceMinutes * 60_000L;
        var abandoned = await db.Sessions
            .Where(s => s.State == SessionState.Waiting && s.CallerAwaySince != null && s.CallerAwaySince <= awayBefore)
            .Select(s => new { s.Id, Claimed = s.ClaimedAt != null }).ToListAsync(ct);
        foreach (var (id, claimed) in abandoned.Select(a => (a.Id, a.Claimed)))
        {
            var changed = await db.Sessions
                .Where(s => s.Id == id && s.State == SessionState.Waiting && s.CallerAwaySince != null && s.CallerAwaySince <= awayBefore)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, SessionState.Abandoned)
                    .SetProperty(s => s.ClosedAt, now).SetProperty(s => s.OfferedTo, (string?)null), ct);
            if (changed != 1) continue;
            if (claimed) await audit.RecordAsync(new SessionAbandoned(id, "away"));
            else await counts.LeftUnansweredAsync(away: true);
            await push.ToCaller(id, SessionState.Abandoned, ChangeReasons.Abandoned);
        }

        var lapsed = await db.Sessions
            .Where(s => s.State == SessionState.Waiting && s.OfferedTo != null && s.OfferExpiresAt <= now)
            .Select(s => new { s.Id, s.OfferedTo }).ToListAsync(ct);
        foreach (var offer in lapsed)
        {
            var changed = await db.Sessions
                .Where(s => s.Id == offer.Id && s.OfferedTo == offer.OfferedTo && s.OfferExpiresAt <= now)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.OfferedTo, (string?)null).SetProperty(s => s.OfferExpiresAt, (long?)null), ct);
            if (changed == 1) await push.OfferWithdrawn(offer.OfferedTo!, offer.Id);
        }

        var purged = await db.Messages
            .Where(m => !db.Sessions.Any(s => s.Id == m.SessionId && (s.State == SessionState.Active || s.State == SessionState.Waiting)))
            .ExecuteDeleteAsync(ct);

        // A request nobody claimed is counted already (RequestCounter); its row need not outlive the caller's page.
        var unansweredBefore = now - retention.CurrentValue.UnansweredRequestMinutes * 60_000L;
        await db.Sessions.Where(s => (s.State == SessionState.Withdrawn || s.State == SessionState.Abandoned)
            && s.ClaimedAt == null && s.ClosedAt < unansweredBefore).ExecuteDeleteAsync(ct);

        var resourcesDue = await ResourcesNewlyDueAsync(db, now, ct);
        if (abandoned.Count + lapsed.Count + purged > 0) QueueLog.Swept(logger, abandoned.Count, lapsed.Count, purged);
        if (abandoned.Count + lapsed.Count + purged > 0 || resourcesDue) notifier.QueueChanged();
    }

    /// <summary>
    /// Whether, since the last sweep, a waiting caller passed the long-wait threshold or the coverage hours began or
    /// ended: the notifier's next pass then tells those callers (QueueStatus.resources).
    /// </summary>
    private async Task<bool> ResourcesNewlyDueAsync(PeerLineDb db, long now, CancellationToken ct)
    {
        var (from, to) = (_lastSweep - routing.LongWaitMs, now - routing.LongWaitMs);
        _lastSweep = now;
        var crossed = await db.Sessions.AnyAsync(s => s.State == SessionState.Waiting && s.Priority != Priority.Crisis
            && s.RequestedAt > from && s.RequestedAt <= to, ct);
        if (crossed) EscalationLog.ResourcesOffered(logger, ResourceReasons.LongWait);

        var covered = routing.IsCovered(now);
        var flipped = _covered is { } was && was != covered;
        _covered = covered;
        if (flipped && !covered) EscalationLog.ResourcesOffered(logger, ResourceReasons.OutsideHours);
        return crossed || flipped;
    }
}
