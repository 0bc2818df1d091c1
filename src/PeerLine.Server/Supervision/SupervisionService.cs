using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Hosting;
using PeerLine.Server.Hubs;
using PeerLine.Server.Queue;
using PeerLine.Server.Relay;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Supervision;

/// <summary>
/// A lead joins a chat only with the caller's consent: the supporter asks, the caller accepts or refuses (nothing else
/// changes on a refusal), and an accepted lead gets a lane of their own with the caller (docs/features/lead-joins.md).
/// </summary>
public sealed class SupervisionService(
    IDbContextFactory<PeerLineDb> dbs, ClientPush push, AuditTrail audit, HeldLedger held, ILogger<SupervisionService> logger)
{
    public async Task InviteAsync(string supporterId, string sessionId, string leadId, CancellationToken ct)
    {
        if (leadId == supporterId) throw new PeerLineException(ErrorCodes.InvalidArgument);
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Shifts.AnyAsync(s => s.SupporterId == leadId && s.OnShift, ct)) throw new PeerLineException(ErrorCodes.NotOnShift);
        var invited = await db.Sessions
            .Where(s => s.Id == sessionId && s.SupporterId == supporterId && s.State == SessionState.Active
                && s.LeadId == null && s.LeadInvitedId == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.LeadInvitedId, leadId), ct);
        if (invited == 0)
        {
            var held = await db.Sessions.AnyAsync(s => s.Id == sessionId && s.SupporterId == supporterId, ct);
            throw new PeerLineException(held ? ErrorCodes.WrongState : ErrorCodes.NotFound);
        }
        SupervisionLog.Changed(logger, "invited");
        await push.LeadInvited(sessionId);
    }

    /// <summary>The caller's answer. A refusal only tells the supporter; an acceptance tells all three.</summary>
    public async Task AnswerAsync(string sessionId, bool accept, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId && s.State == SessionState.Active, ct);
        if (session is not { LeadInvitedId: { } lead, SupporterId: { } supporter }) throw new PeerLineException(ErrorCodes.WrongState);

        var pending = db.Sessions.Where(s =>
            s.Id == sessionId && s.LeadInvitedId == lead && s.SupporterId == supporter && s.State == SessionState.Active);
        var changed = accept
            ? await pending.ExecuteUpdateAsync(u => u.SetProperty(s => s.LeadId, lead).SetProperty(s => s.LeadInvitedId, (string?)null), ct)
            : await pending.ExecuteUpdateAsync(u => u.SetProperty(s => s.LeadInvitedId, (string?)null), ct);
        if (changed == 0) throw new PeerLineException(ErrorCodes.WrongState);

        SupervisionLog.Changed(logger, accept ? "joined" : "declined");
        if (!accept)
        {
            await push.ToSupporter(supporter, sessionId, SessionState.Active, ChangeReasons.LeadDeclined);
            return;
        }
        await audit.RecordAsync(new LeadJoined(sessionId, lead));
        await push.ToCaller(sessionId, SessionState.Active, ChangeReasons.LeadJoined);
        await push.ToSupporter(supporter, sessionId, SessionState.Active, ChangeReasons.LeadJoined);
        await push.ToSupporter(lead, sessionId, SessionState.Active, ChangeReasons.LeadJoined);
    }

    public async Task LeaveAsync(string leadId, string sessionId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var mine = db.Sessions.Where(s => s.Id == sessionId && s.LeadId == leadId && s.State == SessionState.Active);
        var supporter = await mine.Select(s => s.SupporterId).SingleOrDefaultAsync(ct);
        var left = await mine
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.LeadId, (string?)null), ct);
        if (left == 0) throw new PeerLineException(ErrorCodes.NotFound);
        await DeleteLeadLaneAsync(db, sessionId, ct);
        SupervisionLog.Changed(logger, "left");
        await TellLeadLeftAsync(sessionId, leadId, supporter);
    }

    /// <summary>Ciphertext still held on the lead lane: it can no longer be delivered.</summary>
    public static Task<int> DeleteLeadLaneAsync(PeerLineDb db, string sessionId, CancellationToken ct) =>
        db.Messages.Where(m => m.SessionId == sessionId && (m.Direction == Direction.CallerToLead || m.Direction == Direction.LeadToCaller))
            .ExecuteDeleteAsync(ct);

    /// <summary>After the lead lane was deleted (the lead left or a transfer removed them), committed.</summary>
    public async Task TellLeadLeftAsync(string sessionId, string leadId, string? supporterId)
    {
        held.Forget(sessionId); // the relay's held counts of the lead lane are gone with it
        await push.ToCaller(sessionId, SessionState.Active, ChangeReasons.LeadLeft);
        await push.ToSupporter(leadId, sessionId, SessionState.Active, ChangeReasons.LeadLeft);
        if (supporterId is not null) await push.ToSupporter(supporterId, sessionId, SessionState.Active, ChangeReasons.LeadLeft);
    }
}

public static class SupervisionExtensions
{
    public static IServiceCollection AddSupervision(this IServiceCollection services) => services.AddSingleton<SupervisionService>();
}
