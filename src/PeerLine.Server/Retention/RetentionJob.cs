using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Server.Audit;
using PeerLine.Server.Hosting;
using PeerLine.Server.Queue;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Retention;

/// <summary>
/// On a timer: deletes what has been kept long enough (ended sessions, shared-resource kinds, shift records, expired
/// return codes, old audit events and feedback counts) and records each run as an audit event with the counts and
/// the first audit seq kept, so a verifier knows where the trail now starts.
/// </summary>
public sealed class RetentionJob(
    IDbContextFactory<PeerLineDb> dbs,
    AuditTrail audit,
    TimeProvider time,
    IOptionsMonitor<RetentionOptions> options,
    ILogger<RetentionJob> logger) : PeriodicWork(time)
{
    private const long DayMs = 86_400_000L;

    public async Task<RetentionRun> RunAsync(CancellationToken ct)
    {
        var now = Time.NowMs();
        var o = options.CurrentValue;
        await using var db = await dbs.CreateDbContextAsync(ct);

        var sessionsBefore = now - o.SessionDays * DayMs;
        var ended = db.Sessions.Where(s => s.State != SessionState.Waiting && s.State != SessionState.Active && s.ClosedAt < sessionsBefore);
        var resources = await db.SharedResources.Where(r => ended.Any(s => s.Id == r.SessionId) || !db.Sessions.Any(s => s.Id == r.SessionId))
            .ExecuteDeleteAsync(ct);
        // Ciphertext is deleted at close; anything the sweeper has not reached yet goes with its session.
        await db.Messages.Where(m => ended.Any(s => s.Id == m.SessionId)).ExecuteDeleteAsync(ct);
        var sessions = await ended.ExecuteDeleteAsync(ct);

        var shiftsBefore = now - o.ShiftRecordDays * DayMs;
        var shiftRecords = await db.ShiftRecords.Where(r => r.EndedAt != null && r.EndedAt < shiftsBefore).ExecuteDeleteAsync(ct);
        var returnCodes = await db.ReturnCodes.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct);

        var auditBefore = now - o.AuditDays * DayMs;
        // The newest event always stays: the chain continues from it.
        var head = await db.AuditEvents.MaxAsync(r => (long?)r.Seq, ct) ?? 0;
        var auditEvents = await db.AuditEvents.Where(r => r.At < auditBefore && r.Seq < head).ExecuteDeleteAsync(ct);
        var keptFrom = await db.AuditEvents.MinAsync(r => (long?)r.Seq, ct) ?? 1;
        await db.AuditCheckpoints.Where(c => c.Size < keptFrom).ExecuteDeleteAsync(ct);
        await db.FeedbackCounts.Where(f => f.WeekStart < auditBefore - 7 * DayMs).ExecuteDeleteAsync(ct);

        var run = new RetentionRun(sessions, resources, shiftRecords, returnCodes, auditEvents, keptFrom);
        await audit.RecordAsync(run);
        RetentionLog.Ran(logger, sessions, shiftRecords, returnCodes, auditEvents);
        return run;
    }

    protected override TimeSpan Period => TimeSpan.FromMinutes(options.CurrentValue.IntervalMinutes);

    protected override Task TickAsync(CancellationToken ct) => RunAsync(ct);

    protected override void TickFailed(string errorKind) => RetentionLog.Failed(logger, errorKind);
}

public static partial class RetentionLog
{
    [LoggerMessage(13001, LogLevel.Information,
        "Retention run: {Sessions} sessions, {ShiftRecords} shift records, {ReturnCodes} return codes, {AuditEvents} audit events deleted")]
    public static partial void Ran(ILogger logger, long sessions, long shiftRecords, long returnCodes, long auditEvents);

    [LoggerMessage(13002, LogLevel.Warning, "Retention run failed: {ErrorKind}")]
    public static partial void Failed(ILogger logger, string errorKind);
}

public static class RetentionExtensions
{
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionJob>());
        return services;
    }
}
