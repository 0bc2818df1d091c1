using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Server.Hosting;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Audit;

/// <summary>
/// On a timer: signs a checkpoint once <see cref="AuditOptions.CheckpointEvents"/> events are unsigned or the oldest
/// unsigned one is <see cref="AuditOptions.CheckpointMinutes"/> old, and writes the sign-ins refused by the rate
/// limiter since the last pass as one event, and the request counts of finished hours (<see cref="HourlyRequestCounts"/>).
/// </summary>
public sealed class AuditCheckpointer(
    AuditTrail trail,
    LoginThrottleTally throttled,
    HourlyRequestCounts hourly,
    IDbContextFactory<PeerLineDb> dbs,
    TimeProvider time,
    IOptions<AuditOptions> options,
    ILogger<AuditCheckpointer> logger) : PeriodicWork(time)
{
    private long? _unsignedSince;

    public async Task PassAsync(CancellationToken ct)
    {
        if (throttled.Take() is > 0 and var refused) await trail.RecordAsync(new StaffLoginThrottled(refused));
        await hourly.CloseFinishedHoursAsync(ct);

        long head, signed;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            head = await db.AuditEvents.MaxAsync(r => (long?)r.Seq, ct) ?? 0;
            signed = await db.AuditCheckpoints.MaxAsync(c => (long?)c.Size, ct) ?? 0;
        }
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        if (head == signed)
        {
            _unsignedSince = null;
            return;
        }
        _unsignedSince ??= now;
        var o = options.Value;
        if (head - signed >= o.CheckpointEvents || now - _unsignedSince >= o.CheckpointMinutes * 60_000L)
        {
            await trail.CheckpointAsync(ct);
            _unsignedSince = null;
        }
    }

    protected override TimeSpan Period => TimeSpan.FromSeconds(options.Value.CheckIntervalSeconds);

    protected override Task TickAsync(CancellationToken ct) => PassAsync(ct);

    protected override void TickFailed(string errorKind) => AuditLog.CheckpointFailed(logger, errorKind);
}

/// <summary>Counts sign-ins the rate limiter refused; a flood becomes one audit event per checkpointer pass.</summary>
public sealed class LoginThrottleTally
{
    private long _refused;

    public void Add() => Interlocked.Increment(ref _refused);

    public long Take() => Interlocked.Exchange(ref _refused, 0);
}
