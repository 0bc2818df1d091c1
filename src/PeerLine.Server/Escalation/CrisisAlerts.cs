using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Hubs;
using PeerLine.Server.Queue;
using PeerLine.Server.Staff;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Escalation;

/// <summary>A crisis request alerts every lead on shift at once (the caller is also shown the crisis lines).</summary>
public sealed class CrisisAlerts(IDbContextFactory<PeerLineDb> dbs, ClientPush push, RoutingRules routing, ILogger<CrisisAlerts> logger)
{
    public async Task RaiseAsync(string sessionId, Topic topic, CancellationToken ct)
    {
        var leads = routing.AlertLeadsOnCrisis ? await OnShiftLeadsAsync(ct) : [];
        if (leads.Count > 0) await push.CrisisAlert(leads, new CrisisAlert(sessionId, topic.Code(), 0));
        EscalationLog.CrisisRequested(logger, leads.Count);
    }

    private async Task<List<string>> OnShiftLeadsAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var leadRole = db.Roles.Where(r => r.Name == StaffRoles.Lead).Select(r => r.Id);
        return await db.Shifts
            .Where(s => s.OnShift && db.UserRoles.Any(ur => ur.UserId == s.SupporterId && leadRole.Contains(ur.RoleId)))
            .Select(s => s.SupporterId).ToListAsync(ct);
    }
}
