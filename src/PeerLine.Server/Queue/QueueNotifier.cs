using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Escalation;
using PeerLine.Server.Hosting;
using PeerLine.Server.Hubs;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Queue;

/// <summary>
/// Coalesces queue changes and then, in one pass: lets the push dispatcher make offers, tells every waiting
/// caller whose place or estimate moved, and sends staff a fresh snapshot.
/// </summary>
public sealed class QueueNotifier(
    IDbContextFactory<PeerLineDb> dbs,
    QueueReader reader,
    OfferDispatcher dispatcher,
    ClientPush push,
    RoutingRules routing,
    TimeProvider time,
    IOptionsMonitor<QueueOptions> options,
    ILogger<QueueNotifier> logger) : BackgroundService
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly Dictionary<string, QueueStatus> _lastSent = new(StringComparer.Ordinal);

    /// <summary>Something about the queue changed; a pass will follow shortly.</summary>
    public void QueueChanged()
    {
        try { _signal.Release(); }
        catch (SemaphoreFullException) { /* a pass is already pending */ }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(stoppingToken);
                var debounce = options.CurrentValue.NotifyDebounceMilliseconds;
                if (debounce > 0) await Task.Delay(debounce, stoppingToken);
                await PassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                QueueLog.NotifyFailed(logger, e.GetType().Name);
            }
        }
    }

    private async Task PassAsync(CancellationToken ct)
    {
        if (options.CurrentValue.Mode == DispatchMode.Push) await dispatcher.DispatchAsync(ct);

        var waiting = await reader.WaitingAsync(ct: ct);
        double? perPlace;
        int onShift;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            perPlace = await reader.SecondsPerPlaceAsync(db, ct);
            onShift = await db.Shifts.CountAsync(s => s.OnShift, ct);
        }
        var now = time.NowMs();

        var sends = new List<Task>();
        var current = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < waiting.Count; i++)
        {
            var id = waiting[i].Id;
            current.Add(id);
            var status = new QueueStatus(SessionStates.Waiting, i + 1, QueueReader.ExpectedWait(perPlace, i + 1),
                routing.ResourcesFor(waiting[i].Priority, waiting[i].RequestedAt, now, onShift), options.CurrentValue.AwayGraceMinutes);
            if (_lastSent.TryGetValue(id, out var last) && last == status) continue;
            _lastSent[id] = status;
            sends.Add(push.QueueMoved(id, status));
        }
        foreach (var gone in _lastSent.Keys.Where(k => !current.Contains(k)).ToList()) _lastSent.Remove(gone);

        sends.Add(push.QueueChanged(await reader.SnapshotAsync(ct)));
        await Task.WhenAll(sends);
    }
}
