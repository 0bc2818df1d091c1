using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Hosting;
using PeerLine.Server.Hubs;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Queue;

/// <summary>
/// Push mode: offers the head of the queue to the on-shift supporter with the most free capacity, longest idle
/// first, one open offer per supporter. An offer is a conditional update, so two nodes never offer one session twice.
/// An offer is recorded in the audit trail only if the supporter takes it (ClaimService).
/// </summary>
public sealed class OfferDispatcher(
    IDbContextFactory<PeerLineDb> dbs,
    TimeProvider time,
    ClientPush push,
    IOptionsMonitor<QueueOptions> options,
    ILogger<OfferDispatcher> logger)
{
    public async Task DispatchAsync(CancellationToken ct)
    {
        var now = time.NowMs();
        var timeout = options.CurrentValue.OfferTimeoutSeconds;
        await using var db = await dbs.CreateDbContextAsync(ct);

        var openOffers = await db.Sessions
            .Where(s => s.State == SessionState.Waiting && s.OfferedTo != null && s.OfferExpiresAt > now)
            .Select(s => s.OfferedTo!).ToListAsync(ct);
        var free = (await db.Shifts.Where(s => s.OnShift && s.ActiveSessions < s.Capacity).ToListAsync(ct))
            .Where(s => !openOffers.Contains(s.SupporterId))
            .OrderByDescending(s => s.Capacity - s.ActiveSessions)
            .ThenBy(s => s.IdleSince)
            .Select(s => s.SupporterId)
            .ToList();
        if (free.Count == 0) return;

        var unoffered = await QueueReader.InServiceOrder(db.Sessions)
            .Where(s => s.OfferedTo == null || s.OfferExpiresAt <= now)
            .Take(free.Count)
            .ToListAsync(ct);

        foreach (var session in unoffered)
        {
            if (free.Count == 0) break;
            // An unanswered offer moves on: prefer anyone but the supporter who last let it lapse.
            var supporter = free.FirstOrDefault(f => f != session.LastOfferedTo) ?? free[0];
            var expires = now + timeout * 1000L;
            var offered = await db.Sessions
                .Where(s => s.Id == session.Id && s.State == SessionState.Waiting && (s.OfferedTo == null || s.OfferExpiresAt <= now))
                .ExecuteUpdateAsync(u => u
                    .SetProperty(s => s.OfferedTo, supporter)
                    .SetProperty(s => s.OfferExpiresAt, expires)
                    .SetProperty(s => s.LastOfferedTo, supporter), ct);
            if (offered == 0) continue;

            free.Remove(supporter);
            // A lapsed offer the sweeper has not taken back yet: its supporter hears that it moved on.
            if (session.OfferedTo is { } lapsed && lapsed != supporter) await push.OfferWithdrawn(lapsed, session.Id);
            QueueLog.Offered(logger, session.Priority.Code());
            await push.Offer(supporter, new SessionOffer(session.Id, session.Topic.Code(), session.Priority.Code(),
                (int)((now - session.RequestedAt) / 1000), timeout));
        }
    }
}
