using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Escalation;
using PeerLine.Server.Hosting;
using PeerLine.Server.Relay;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Queue;

/// <summary>Read side of the queue: order, positions, expected waits, and what staff see.</summary>
public sealed class QueueReader(IDbContextFactory<PeerLineDb> dbs, TimeProvider time, IOptionsMonitor<QueueOptions> options, RoutingRules routing)
{
    /// <summary>Waiting sessions in service order: crisis first, returned sessions first within a level, then first come.</summary>
    public static IQueryable<SupportSession> InServiceOrder(IQueryable<SupportSession> sessions) => sessions
        .Where(s => s.State == SessionState.Waiting)
        .OrderByDescending(s => s.Priority)
        .ThenByDescending(s => s.Returned)
        .ThenBy(s => s.Number);

    public sealed record WaitingEntry(string Id, Topic Topic, Priority Priority, long RequestedAt, string? OfferedTo, long? OfferExpiresAt);

    public async Task<List<WaitingEntry>> WaitingAsync(int? take = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var query = InServiceOrder(db.Sessions)
            .Select(s => new WaitingEntry(s.Id, s.Topic, s.Priority, s.RequestedAt, s.OfferedTo, s.OfferExpiresAt));
        if (take is { } n) query = query.Take(n);
        return await query.ToListAsync(ct);
    }

    /// <summary>1-based position of a waiting session: everyone ahead of it in service order, plus one.</summary>
    public static async Task<int> PositionAsync(PeerLineDb db, SupportSession s, CancellationToken ct) =>
        1 + await db.Sessions.CountAsync(o => o.State == SessionState.Waiting &&
            (o.Priority > s.Priority ||
             (o.Priority == s.Priority && o.Returned && !s.Returned) ||
             (o.Priority == s.Priority && o.Returned == s.Returned && o.Number < s.Number)), ct);

    /// <summary>
    /// Seconds a caller waits per place in the queue, as the median over recent claims
    /// (wait divided by the position at request). Null until there are a few claims to learn from.
    /// </summary>
    public async Task<double?> SecondsPerPlaceAsync(PeerLineDb db, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var since = time.NowMs() - o.WaitSampleHours * 3_600_000L;
        var recent = await db.Sessions
            .Where(s => s.ClaimedAt != null && s.ClaimedAt >= since)
            .OrderByDescending(s => s.ClaimedAt)
            .Take(o.WaitSamples)
            .Select(s => new { Wait = s.ClaimedAt!.Value - s.RequestedAt, s.PositionAtRequest })
            .ToListAsync(ct);
        if (recent.Count < 3) return null;

        var perPlace = recent.Select(r => r.Wait / 1000.0 / Math.Max(1, r.PositionAtRequest)).Order().ToList();
        return perPlace[perPlace.Count / 2];
    }

    public static int? ExpectedWait(double? secondsPerPlace, int position) =>
        secondsPerPlace is { } s ? (int)Math.Ceiling(s * position) : null;

    public async Task<QueueStatus> StatusAsync(PeerLineDb db, SupportSession s, CancellationToken ct)
    {
        if (s.State != SessionState.Waiting) return new QueueStatus(s.State.Code(), null, null);
        var position = await PositionAsync(db, s, ct);
        var onShift = await db.Shifts.CountAsync(x => x.OnShift, ct);
        return new QueueStatus(s.State.Code(), position, ExpectedWait(await SecondsPerPlaceAsync(db, ct), position),
            routing.ResourcesFor(s.Priority, s.RequestedAt, time.NowMs(), onShift), options.CurrentValue.AwayGraceMinutes);
    }

    /// <summary>
    /// One party's view (<paramref name="role"/> a SessionRoles code): the sequence numbers of that party's own lane,
    /// what the other side of it acknowledged, who holds the session and whether the caller is connected.
    /// </summary>
    public async Task<SessionView> ViewAsync(PeerLineDb db, SupportSession s, string role, CancellationToken ct)
    {
        var (outgoing, incoming) = role switch
        {
            SessionRoles.Caller => (Direction.CallerToSupporter, Direction.SupporterToCaller),
            SessionRoles.Lead => (Direction.LeadToCaller, Direction.CallerToLead),
            _ => (Direction.SupporterToCaller, Direction.CallerToSupporter),
        };
        var everHadLead = s.LeadId is not null || s.CallerToLeadSentSeq > 0 || s.LeadSentSeq > 0;
        var lead = role == SessionRoles.Caller && everHadLead
            ? new LeadLane(s.LeadId is not null, s.CallerToLeadSentSeq,
                SessionLanes.Acked(s, Direction.LeadToCaller), SessionLanes.Acked(s, Direction.CallerToLead))
            : null;
        return new SessionView(s.Id, s.State.Code(), s.Topic.Code(), s.Priority.Code(),
            SessionLanes.Sent(s, outgoing), SessionLanes.Acked(s, incoming), await StatusAsync(db, s, ct), role, lead,
            Holder(s), SessionLanes.Acked(s, outgoing), CallerPresent: role == SessionRoles.Caller || s.CallerConnection is not null);
    }

    /// <summary>0 until the session is first claimed; then one more at every handover (each one counted in Transfers).</summary>
    public static int Holder(SupportSession s) => s.ClaimedAt is null ? 0 : s.Transfers + 1;

    public async Task<QueueSnapshot> SnapshotAsync(CancellationToken ct = default)
    {
        var now = time.NowMs();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var counts = await db.Sessions.Where(s => s.State == SessionState.Waiting)
            .GroupBy(s => s.Priority).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        int Count(Priority p) => counts.FirstOrDefault(c => c.Key == p)?.Count ?? 0;
        var onShift = await db.Shifts.CountAsync(s => s.OnShift, ct);
        var head = await InServiceOrder(db.Sessions).Take(options.CurrentValue.SnapshotSize)
            .Select(s => new { s.Id, s.Topic, s.Priority, s.RequestedAt, s.OfferedTo, s.OfferExpiresAt })
            .ToListAsync(ct);

        return new QueueSnapshot(
            counts.Sum(c => c.Count), Count(Priority.Crisis), Count(Priority.Soon), Count(Priority.Routine), onShift,
            head.Select(h => new QueueEntry(h.Id, h.Topic.Code(), h.Priority.Code(),
                (int)Math.Max(0, (now - h.RequestedAt) / 1000), h.OfferedTo is not null && h.OfferExpiresAt > now)).ToList());
    }

    /// <summary>Every active session a supporter holds, as that supporter sees it.</summary>
    public async Task<List<SessionView>> HeldByAsync(string supporterId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var held = await db.Sessions.AsNoTracking()
            .Where(s => (s.SupporterId == supporterId || s.LeadId == supporterId) && s.State == SessionState.Active)
            .OrderBy(s => s.ClaimedAt).ToListAsync(ct);
        var views = new List<SessionView>(held.Count);
        foreach (var s in held.OrderBy(s => s.SupporterId == supporterId ? 0 : 1))
            views.Add(await ViewAsync(db, s, s.SupporterId == supporterId ? SessionRoles.Supporter : SessionRoles.Lead, ct));
        return views;
    }
}
