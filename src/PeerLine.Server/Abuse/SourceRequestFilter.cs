using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Hosting;
using PeerLine.Server.Queue;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Abuse;

/// <summary>
/// On the caller hub only: a new request (RequestSupport, RequestReturn) is refused with source-limit when its source
/// has WaitingPerSource requests waiting or made RequestsPerSourcePerHour in the last hour. Which of a source's
/// sessions still wait is read from the database, so the count cannot drift from the queue.
/// </summary>
public sealed class SourceRequestFilter(SourceTracker tracker, IDbContextFactory<PeerLineDb> dbs, IOptionsMonitor<AbuseOptions> options) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (invocationContext.HubMethodName is not (nameof(ICallerHub.RequestSupport) or nameof(ICallerHub.RequestReturn))
            || invocationContext.Context.GetHttpContext()?.Features.Get<CallerSource>() is not { } source)
            return await next(invocationContext);

        // Fewer recorded sessions than the cap cannot reach it: the database is read only when it could.
        var recorded = tracker.RequestedSessions(source);
        var earlier = recorded.Count >= options.CurrentValue.WaitingPerSource ? recorded : [];
        var waiting = await StillWaitingAsync(earlier, invocationContext.Context.ConnectionAborted);
        using var slot = tracker.TryReserveRequest(source, earlier, waiting) ?? throw new PeerLineException(ErrorCodes.SourceLimit);
        var result = await next(invocationContext);
        if (result is SessionTicket ticket) slot.Accept(ticket.SessionId);
        return result;
    }

    private async Task<HashSet<string>> StillWaitingAsync(IReadOnlyList<string> sessions, CancellationToken ct)
    {
        if (sessions.Count == 0) return [];
        await using var db = await dbs.CreateDbContextAsync(ct);
        var waiting = await db.Sessions.Where(s => sessions.Contains(s.Id) && s.State == SessionState.Waiting).Select(s => s.Id).ToListAsync(ct);
        return [.. waiting];
    }
}
