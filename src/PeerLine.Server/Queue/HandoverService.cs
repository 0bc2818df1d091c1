using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Hosting;
using PeerLine.Server.Hubs;
using PeerLine.Server.Storage;
using PeerLine.Server.Supervision;
using PeerLine.Server.Wellbeing;

namespace PeerLine.Server.Queue;

/// <summary>A supporter ends a session with a coded disposition, or hands it to the queue or a colleague on shift.</summary>
public sealed class HandoverService(
    IDbContextFactory<PeerLineDb> dbs,
    QueueNotifier notifier,
    ClientPush push,
    WellbeingService wellbeing,
    SupervisionService supervision,
    AuditTrail audit,
    TimeProvider time,
    ILogger<HandoverService> logger)
{
    public async Task CloseAsync(string supporterId, string sessionId, string? dispositionCode, CancellationToken ct)
    {
        var disposition = WireCodes.ParseDisposition(dispositionCode);
        var now = time.NowMs();
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var session = await OwnedAsync(db, supporterId, sessionId, ct);

        if (session.State == SessionState.Closed)
        {
            // The caller ended first: the supporter still records how it went.
            if (session.Disposition != Disposition.None) throw new PeerLineException(ErrorCodes.WrongState);
            session.Disposition = disposition;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            await audit.RecordAsync(new DispositionRecorded(sessionId, disposition));
            return;
        }
        if (session.State != SessionState.Active) throw new PeerLineException(ErrorCodes.WrongState);

        await SessionClosing.CloseAsync(db, session, disposition, now, ct);
        await tx.CommitAsync(ct);
        QueueLog.Ended(logger, SessionStates.Closed, "supporter");
        await audit.RecordAsync(new SessionClosed(sessionId, "supporter", disposition));
        notifier.QueueChanged();
        await push.ToCaller(sessionId, SessionState.Closed, ChangeReasons.ClosedBySupporter);
        await push.ToSupporter(supporterId, sessionId, SessionState.Closed, ChangeReasons.ClosedBySupporter);
        if (session.LeadId is { } lead) await push.ToSupporter(lead, sessionId, SessionState.Closed, ChangeReasons.ClosedBySupporter);
        if (session.Priority == Priority.Crisis) await wellbeing.CrisisSessionClosedAsync(supporterId, ct);
    }

    /// <summary>
    /// Back to the head of its priority level in the queue (<paramref name="toSupporterId"/> null) or to a named supporter on shift.
    /// </summary>
    public async Task TransferAsync(string supporterId, string sessionId, string? toSupporterId, CancellationToken ct)
    {
        if (toSupporterId == supporterId) throw new PeerLineException(ErrorCodes.InvalidArgument);
        var now = time.NowMs();
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var session = await OwnedAsync(db, supporterId, sessionId, ct);
        if (session.State != SessionState.Active) throw new PeerLineException(ErrorCodes.WrongState);

        if (toSupporterId is not null)
        {
            var refusal = await SessionClosing.TakeSlotAsync(db, toSupporterId, now, ct);
            if (refusal is not null) throw new PeerLineException(refusal);
            session.SupporterId = toSupporterId;
        }
        else
        {
            session.State = SessionState.Waiting;
            session.SupporterId = null;
            session.Returned = true;
        }
        session.Transfers++;
        // A lead was let in to this supporter's chat: they leave with it, and the next holder may ask again.
        var lead = session.LeadId;
        session.LeadId = null;
        session.LeadInvitedId = null;
        await db.SaveChangesAsync(ct);
        await SessionClosing.ReleaseSlotAsync(db, supporterId, now, ct);
        if (lead is not null) await SupervisionService.DeleteLeadLaneAsync(db, sessionId, ct);
        await tx.CommitAsync(ct);
        if (lead is not null) await supervision.TellLeadLeftAsync(sessionId, lead, supporterId);

        QueueLog.Transferred(logger, toSupporterId is null ? "to-queue" : "to-supporter");
        await audit.RecordAsync(new SessionTransferred(sessionId, supporterId, toSupporterId));
        notifier.QueueChanged();
        await push.ToSupporter(supporterId, sessionId, session.State, ChangeReasons.TransferredAway);
        if (toSupporterId is not null)
        {
            await push.ToSupporter(toSupporterId, sessionId, SessionState.Active, ChangeReasons.TransferredToYou);
            await push.ToCaller(sessionId, SessionState.Active, ChangeReasons.Transferred);
        }
        else
        {
            await push.ToCaller(sessionId, SessionState.Waiting, ChangeReasons.ReturnedToQueue);
        }
    }

    private static async Task<SupportSession> OwnedAsync(PeerLineDb db, string supporterId, string sessionId, CancellationToken ct) =>
        await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId && s.SupporterId == supporterId, ct)
        ?? throw new PeerLineException(ErrorCodes.NotFound);
}
