using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Hosting;
using PeerLine.Server.Hubs;
using PeerLine.Server.Queue;
using PeerLine.Server.Staff;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Escalation;

/// <summary>
/// Crisis alerts to every lead on shift, coalesced: the first crisis request after a quiet window alerts at once;
/// crisis requests within the window after an alert make one alert when it ends, naming the latest crisis request
/// still waiting and how many wait. So a flood reads as a flood, at most one alert a window (per node).
/// </summary>
public sealed class CrisisAlerts(
    IDbContextFactory<PeerLineDb> dbs,
    ClientPush push,
    RoutingRules routing,
    AuditTrail audit,
    RequestCounter counts,
    TimeProvider time,
    IOptions<EscalationOptions> options,
    ILogger<CrisisAlerts> logger) : IDisposable
{
    private readonly Lock _lock = new();
    private ITimer? _window;
    private int _heldBack;

    /// <summary>
    /// A crisis request was stored: alert now, or hold it for the alert at the end of the window under way. Not
    /// cancellable: the alert is for every crisis request of the window, not only this caller's.
    /// </summary>
    public async Task RaiseAsync()
    {
        lock (_lock)
        {
            if (_window is not null)
            {
                _heldBack++;
                return;
            }
            _window = StartWindow();
        }
        await AlertSafelyAsync();
    }

    private ITimer StartWindow() =>
        time.CreateTimer(_ => _ = WindowEndedAsync(), null, TimeSpan.FromSeconds(options.Value.CrisisAlertWindowSeconds), Timeout.InfiniteTimeSpan);

    /// <summary>Requests held back in the window: one alert for them all, which opens the next window. None: quiet again.</summary>
    private async Task WindowEndedAsync()
    {
        lock (_lock)
        {
            _window?.Dispose();
            _window = null;
            if (_heldBack == 0) return;
            _heldBack = 0;
            _window = StartWindow();
        }
        await AlertSafelyAsync();
    }

    private async Task AlertSafelyAsync()
    {
        try { await AlertAsync(CancellationToken.None); }
        catch (Exception e) when (e is not OperationCanceledException) { EscalationLog.CrisisAlertFailed(logger, e.GetType().Name); }
    }

    /// <summary>Names the latest crisis request still waiting and counts them all; nothing waiting (all taken already): no alert.</summary>
    private async Task AlertAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var crisis = db.Sessions.AsNoTracking().Where(s => s.State == SessionState.Waiting && s.Priority == Priority.Crisis);
        var waiting = await crisis.CountAsync(ct);
        var latest = await crisis.OrderByDescending(s => s.Number).Select(s => new { s.Id, s.Topic, s.RequestedAt }).FirstOrDefaultAsync(ct);
        if (latest is null) return;

        var leads = routing.AlertLeadsOnCrisis ? await db.OfOnShiftLeadsAsync(ct) : [];
        var waited = (int)Math.Max(0, (time.NowMs() - latest.RequestedAt) / 1000);
        if (leads.Count > 0) await push.CrisisAlert(leads, new CrisisAlert(latest.Id, latest.Topic.Code(), waited, waiting));
        EscalationLog.CrisisRequested(logger, leads.Count, waiting);
        await audit.RecordAsync(new CrisisAlertRaised(leads.Count, waiting));
        await counts.CrisisAlertSentAsync();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _window?.Dispose();
            _window = null;
        }
    }
}
