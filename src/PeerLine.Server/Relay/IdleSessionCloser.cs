using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Hosting;
using PeerLine.Server.Hubs;
using PeerLine.Server.Queue;
using PeerLine.Server.Storage;
using PeerLine.Server.Wellbeing;

namespace PeerLine.Server.Relay;

/// <summary>
/// Closes an active session nobody is in any more: its caller has been away, and its supporter and lead have had no
/// staff-hub connection, for Relay:IdleSessionHours. The close is a normal one (slot freed, ciphertext deleted, audit,
/// a debrief suggested after a crisis session) with the reason closed-idle; whoever comes back finds it closed.
/// </summary>
public sealed class IdleSessionCloser(
    IDbContextFactory<PeerLineDb> dbs,
    StaffPresence presence,
    ClientPush push,
    QueueNotifier notifier,
    WellbeingService wellbeing,
    AuditTrail audit,
    TimeProvider time,
    IOptionsMonitor<RelayOptions> options,
    ILogger<IdleSessionCloser> logger) : PeriodicWork(time)
{
    /// <summary>The audit trail's <c>by</c> of a session closed here.</summary>
    public const string ClosedBy = "idle";

    protected override TimeSpan Period => TimeSpan.FromSeconds(options.CurrentValue.IdleCheckSeconds);

    protected override Task TickAsync(CancellationToken ct) => CloseIdleAsync(ct);

    protected override void TickFailed(string errorKind) => RelayLog.IdleCheckFailed(logger, errorKind);

    public async Task CloseIdleAsync(CancellationToken ct)
    {
        var now = Time.NowMs();
        var since = now - options.CurrentValue.IdleSessionHours * 3_600_000L;
        List<(string Id, string? Supporter, string? Lead)> candidates;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            candidates = (await db.Sessions.AsNoTracking()
                .Where(s => s.State == SessionState.Active && s.CallerAwaySince != null && s.CallerAwaySince <= since)
                .Select(s => new { s.Id, s.SupporterId, s.LeadId }).ToListAsync(ct))
                .Select(s => (s.Id, s.SupporterId, s.LeadId)).ToList();
        }
        foreach (var (id, supporter, lead) in candidates)
            if (Gone(supporter, since) && Gone(lead, since)) await CloseAsync(id, supporter, lead, since, now, ct);
    }

    private bool Gone(string? staffId, long since) => staffId is null || presence.GoneSince(staffId, since);

    private async Task CloseAsync(string sessionId, string? supporter, string? lead, long since, long now, CancellationToken ct)
    {
        SupportSession? session;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Again under the write lock: the caller may have come back, or the session changed hands, since the query.
            session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId && s.State == SessionState.Active
                && s.CallerAwaySince != null && s.CallerAwaySince <= since && s.SupporterId == supporter && s.LeadId == lead, ct);
            if (session is null) return;
            await SessionClosing.CloseAsync(db, session, Disposition.None, now, ct);
            await tx.CommitAsync(ct);
        }
        QueueLog.Ended(logger, SessionStates.Closed, ClosedBy);
        await audit.RecordAsync(new SessionClosed(sessionId, ClosedBy, Disposition.None));
        notifier.QueueChanged();
        await push.ToCaller(sessionId, SessionState.Closed, ChangeReasons.ClosedIdle);
        if (supporter is not null) await push.ToSupporter(supporter, sessionId, SessionState.Closed, ChangeReasons.ClosedIdle);
        if (lead is not null) await push.ToSupporter(lead, sessionId, SessionState.Closed, ChangeReasons.ClosedIdle);
        if (supporter is not null && session.Priority == Priority.Crisis) await wellbeing.CrisisSessionClosedAsync(supporter, ct);
    }
}

public static class IdleSessionExtensions
{
    /// <summary>Staff presence (fed by a hub filter that looks at the staff hub only) and the idle-session closer.</summary>
    public static IServiceCollection AddIdleSessions(this IServiceCollection services)
    {
        services.AddSingleton<StaffPresence>();
        services.AddSingleton<StaffPresenceFilter>();
        services.Configure<HubOptions>(o => o.AddFilter<StaffPresenceFilter>());
        services.AddSingleton<IdleSessionCloser>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleSessionCloser>());
        return services;
    }
}
