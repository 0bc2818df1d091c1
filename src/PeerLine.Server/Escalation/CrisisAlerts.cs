using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Hubs;
using PeerLine.Server.Queue;
using PeerLine.Server.Staff;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Escalation;

/// <summary>A crisis request alerts every lead on shift at once (the caller is also shown the crisis lines).</summary>
public sealed class CrisisAlerts(
    IDbContextFactory<PeerLineDb> dbs, ClientPush push, RoutingRules routing, AuditTrail audit, ILogger<CrisisAlerts> logger)
{
    public async Task RaiseAsync(string sessionId, Topic topic, CancellationToken ct)
    {
        List<string> leads = [];
        if (routing.AlertLeadsOnCrisis)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            leads = await db.OfOnShiftLeadsAsync(ct);
        }
        if (leads.Count > 0) await push.CrisisAlert(leads, new CrisisAlert(sessionId, topic.Code(), 0));
        EscalationLog.CrisisRequested(logger, leads.Count);
        await audit.RecordAsync(new CrisisAlertRaised(sessionId, leads.Count));
    }
}
