using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Hosting;
using PeerLine.Server.Queue;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Escalation;

/// <summary>Records the kind of a resource card a supporter sent in a session they hold (for program metrics).</summary>
public sealed class ResourceSharing(IDbContextFactory<PeerLineDb> dbs, AuditTrail audit, TimeProvider time, ILogger<ResourceSharing> logger)
{
    public async Task RecordAsync(string supporterId, string sessionId, string? kind, CancellationToken ct)
    {
        if (kind is null || !ResourceKinds.All.Contains(kind)) throw new PeerLineException(ErrorCodes.InvalidArgument);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var held = await db.Sessions.AnyAsync(s => s.Id == sessionId && s.SupporterId == supporterId && s.State == SessionState.Active, ct);
        if (!held) throw new PeerLineException(ErrorCodes.NotFound);
        db.Add(new SharedResource { SessionId = sessionId, Kind = kind, SharedAt = time.NowMs() });
        await db.SaveChangesAsync(ct);
        EscalationLog.ResourceShared(logger, kind);
        await audit.RecordAsync(new ResourceOffered(sessionId, kind));
    }
}
