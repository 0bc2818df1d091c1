using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Escalation;
using PeerLine.Server.Hosting;
using PeerLine.Server.Hubs;
using PeerLine.Server.Storage;
using PeerLine.Server.Wellbeing;

namespace PeerLine.Server.Queue;

/// <summary>A new request held for one supporter for a number of seconds before anyone else may take it.</summary>
public sealed record Reservation(string SupporterId, int Seconds);

/// <summary>The anonymous side: a caller asks for support, proves it holds a session's secret, comes and goes, leaves.</summary>
public sealed class IntakeService(
    IDbContextFactory<PeerLineDb> dbs,
    QueueReader reader,
    QueueNotifier notifier,
    ClientPush push,
    CrisisAlerts crisisAlerts,
    WellbeingService wellbeing,
    AuditTrail audit,
    RequestCounter counts,
    TimeProvider time,
    IOptionsMonitor<QueueOptions> options,
    ILogger<IntakeService> logger)
{
    private const int SessionIdBytes = 16;
    private const int CallerSecretBytes = 32;
    private readonly SemaphoreSlim[] _presenceGates = Enumerable.Range(0, 32).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public Task<SessionTicket> RequestAsync(string? topicCode, string? priorityCode, string connection, CancellationToken ct) =>
        RequestAsync(topicCode, priorityCode, connection, reservation: null, ct);

    /// <param name="reservation">A returning caller's earlier supporter (on shift): the session is offered to them first, for a while.</param>
    public async Task<SessionTicket> RequestAsync(
        string? topicCode, string? priorityCode, string connection, Reservation? reservation, CancellationToken ct)
    {
        var topic = WireCodes.ParseTopic(topicCode);
        var priority = WireCodes.ParsePriority(priorityCode);
        var secret = RandomTokens.Create(CallerSecretBytes);

        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.Sessions.CountAsync(s => s.State == SessionState.Waiting, ct) >= options.CurrentValue.MaxWaiting)
            throw new PeerLineException(ErrorCodes.QueueFull); // counted by HubErrorFilter's RefusalLog, never a line per refusal

        var session = new SupportSession
        {
            Id = RandomTokens.Create(SessionIdBytes),
            CallerSecretHash = RandomTokens.Hash(secret),
            Topic = topic,
            Priority = priority,
            State = SessionState.Waiting,
            RequestedAt = time.NowMs(),
            CallerConnection = connection,
            // A new request queues behind everyone of its priority or higher.
            PositionAtRequest = 1 + await db.Sessions.CountAsync(s => s.State == SessionState.Waiting && s.Priority >= priority, ct),
            OfferedTo = reservation?.SupporterId,
            Returning = reservation is not null,
            OfferExpiresAt = reservation is null ? null : time.NowMs() + reservation.Seconds * 1000L,
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);

        QueueLog.Requested(logger, priority.Code());
        // Counted, not recorded: the session's own audit events begin when someone claims it (ClaimService).
        await counts.RequestedAsync(priority);
        if (priority == Priority.Crisis) await crisisAlerts.RaiseAsync();
        if (reservation is not null)
        {
            var offer = new SessionOffer(session.Id, topic.Code(), priority.Code(), 0, reservation.Seconds, Returning: true);
            await push.Offer(reservation.SupporterId, offer);
        }
        notifier.QueueChanged();
        return new SessionTicket(session.Id, secret, await reader.StatusAsync(db, session, ct));
    }

    /// <summary>
    /// Checks the caller secret in constant time and marks this connection as the caller's current one.
    /// Unknown session and wrong secret fail alike, so neither reveals whether a session exists.
    /// </summary>
    public async Task<SessionView> ResumeAsync(string? sessionId, string? callerSecret, string connection, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(sessionId) || string.IsNullOrEmpty(callerSecret)) throw new PeerLineException(ErrorCodes.NotFound);

        await using var db = await dbs.CreateDbContextAsync(ct);
        var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        var presented = RandomTokens.Hash(callerSecret);
        var expected = session?.CallerSecretHash ?? new byte[presented.Length];
        if (!CryptographicOperations.FixedTimeEquals(presented, expected) || session is null)
            throw new PeerLineException(ErrorCodes.NotFound);

        using (await PresenceLockAsync(session.Id, ct))
        {
            // Staff hear only of a return from away: a reload whose old connection is not yet gone changes nothing for them.
            var wasAway = await db.Sessions.Where(s => s.Id == session.Id).Select(s => s.CallerConnection == null).SingleAsync(ct);
            // A conditional update, not a tracked save: the relay writer may be changing this row's sequence numbers.
            var resumed = await db.Sessions.Where(s => s.Id == session.Id && (s.State == SessionState.Waiting || s.State == SessionState.Active))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.CallerConnection, connection).SetProperty(s => s.CallerAwaySince, (long?)null), ct);
            if (resumed == 1 && wasAway) await TellStaffPresenceAsync(db, session.Id, present: true, ct);
        }
        return await reader.ViewAsync(db, session, SessionRoles.Caller, ct);
    }

    /// <summary>Who holds an active session now (for the caller to fetch that supporter's certificate).</summary>
    public async Task<string?> SupporterOfAsync(string sessionId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Sessions.Where(s => s.Id == sessionId && s.State == SessionState.Active).Select(s => s.SupporterId).SingleOrDefaultAsync(ct);
    }

    /// <summary>The lead in an active session now, if the caller let one in.</summary>
    public async Task<string?> LeadOfAsync(string sessionId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Sessions.Where(s => s.Id == sessionId && s.State == SessionState.Active).Select(s => s.LeadId).SingleOrDefaultAsync(ct);
    }

    /// <summary>The caller's connection dropped: start the grace period, unless a newer connection already took over.</summary>
    public async Task CallerDisconnectedAsync(string sessionId, string connection, CancellationToken ct)
    {
        var now = time.NowMs();
        await using var db = await dbs.CreateDbContextAsync(ct);
        using (await PresenceLockAsync(sessionId, ct))
        {
            var away = await db.Sessions
                .Where(s => s.Id == sessionId && s.CallerConnection == connection &&
                            (s.State == SessionState.Waiting || s.State == SessionState.Active))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.CallerAwaySince, now).SetProperty(s => s.CallerConnection, (string?)null), ct);
            if (away == 1) await TellStaffPresenceAsync(db, sessionId, present: false, ct);
        }
    }

    /// <summary>
    /// Tells the supporter and the lead of an active session that its caller went away or came back. Runs under the
    /// session's presence lock, right after the change, so the events reach staff in the order the changes were made.
    /// </summary>
    private async Task TellStaffPresenceAsync(PeerLineDb db, string sessionId, bool present, CancellationToken ct)
    {
        var current = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId)
            .Select(s => new { s.State, s.SupporterId, s.LeadId }).SingleAsync(ct);
        if (current.State != SessionState.Active) return;
        QueueLog.CallerPresence(logger, present ? "back" : "away");
        await push.CallerPresence([current.SupporterId, current.LeadId], sessionId, present);
    }

    /// <summary>One of a few locks, chosen by session id: a caller's disconnect and resume are applied and told one at a time.</summary>
    private async Task<IDisposable> PresenceLockAsync(string sessionId, CancellationToken ct)
    {
        var gate = _presenceGates[(uint)StringComparer.Ordinal.GetHashCode(sessionId) % (uint)_presenceGates.Length];
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) gate.Release(); }
    }

    /// <summary>The caller leaves: a waiting request is withdrawn, an active session is closed.</summary>
    public async Task EndAsync(string sessionId, CancellationToken ct)
    {
        var now = time.NowMs();
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId, ct)
            ?? throw new PeerLineException(ErrorCodes.NotFound);

        if (session.State == SessionState.Waiting)
        {
            session.State = SessionState.Withdrawn;
            session.ClosedAt = now;
            session.OfferedTo = null;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            QueueLog.Ended(logger, SessionStates.Withdrawn, "caller");
            if (session.ClaimedAt is null) await counts.LeftUnansweredAsync(away: false);
            else await audit.RecordAsync(new SessionAbandoned(sessionId, "withdrawn"));
            notifier.QueueChanged();
            await push.ToCaller(sessionId, SessionState.Withdrawn, ChangeReasons.Withdrawn);
            return;
        }
        if (session.State != SessionState.Active) throw new PeerLineException(ErrorCodes.WrongState);

        var supporter = session.SupporterId;
        await SessionClosing.CloseAsync(db, session, Disposition.None, now, ct);
        await tx.CommitAsync(ct);
        QueueLog.Ended(logger, SessionStates.Closed, "caller");
        await audit.RecordAsync(new SessionClosed(sessionId, "caller", Disposition.None));
        notifier.QueueChanged();
        await push.ToCaller(sessionId, SessionState.Closed, ChangeReasons.ClosedByCaller);
        if (supporter is not null) await push.ToSupporter(supporter, sessionId, SessionState.Closed, ChangeReasons.ClosedByCaller);
        if (session.LeadId is { } lead) await push.ToSupporter(lead, sessionId, SessionState.Closed, ChangeReasons.ClosedByCaller);
        if (supporter is not null && session.Priority == Priority.Crisis) await wellbeing.CrisisSessionClosedAsync(supporter, ct);
    }
}
