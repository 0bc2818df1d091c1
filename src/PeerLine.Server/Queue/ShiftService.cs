using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Hosting;
using PeerLine.Server.Storage;
using PeerLine.Server.Wellbeing;

namespace PeerLine.Server.Queue;

public sealed class ShiftService(
    IDbContextFactory<PeerLineDb> dbs,
    QueueNotifier notifier,
    AuditTrail audit,
    TimeProvider time,
    IOptionsMonitor<QueueOptions> options,
    IOptionsMonitor<WellbeingOptions> wellbeing,
    ILogger<ShiftService> logger)
{
    public async Task<ShiftStatus> StartAsync(string supporterId, int? capacity, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var cap = capacity ?? o.DefaultCapacity;
        if (cap < 1 || cap > o.MaxCapacity) throw new PeerLineException(ErrorCodes.InvalidArgument);

        var now = time.NowMs();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var active = await db.Sessions.CountAsync(s => s.SupporterId == supporterId && s.State == SessionState.Active, ct);
        var shift = await db.Shifts.SingleOrDefaultAsync(s => s.SupporterId == supporterId, ct);
        if (shift is null)
        {
            shift = new Shift { SupporterId = supporterId };
            db.Shifts.Add(shift);
        }
        var starting = !shift.OnShift;
        if (starting)
        {
            // A new shift, unless the last seven days already reached the weekly cap.
            var weekMs = await ShiftRecords.LastWeekMsAsync(db, supporterId, now, ct);
            if (weekMs >= wellbeing.CurrentValue.WeeklyHoursCap * 3_600_000L) throw new PeerLineException(ErrorCodes.WeeklyCapReached);
            ShiftRecords.Open(db, supporterId, now);
            shift.StartedAt = now;
            shift.IdleSince = now;
        }
        shift.OnShift = true;
        shift.Capacity = cap;
        shift.ActiveSessions = active;
        await db.SaveChangesAsync(ct);

        QueueLog.ShiftChanged(logger, "started", cap);
        if (starting) await audit.RecordAsync(new StaffEvent(AuditKinds.ShiftStarted, supporterId, "capacity", cap));
        notifier.QueueChanged();
        return new ShiftStatus(true, cap, active);
    }

    public const string EndedBySelf = "self", EndedAtMaximum = "max-length", EndedAtWeeklyCap = "weekly-cap";

    /// <param name="reason">
    /// Why it ended, for the audit trail: <see cref="EndedBySelf"/>, <see cref="EndedAtMaximum"/> or <see cref="EndedAtWeeklyCap"/>.
    /// </param>
    public async Task<ShiftStatus> EndAsync(string supporterId, string reason, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var ended = await db.Shifts.Where(s => s.SupporterId == supporterId && s.OnShift)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.OnShift, false), ct);
        await ShiftRecords.CloseOpenAsync(db, supporterId, time.NowMs(), ct);
        // Offers to someone who left go back to the queue at once.
        await db.Sessions.Where(s => s.State == SessionState.Waiting && s.OfferedTo == supporterId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.OfferedTo, (string?)null), ct);
        QueueLog.ShiftChanged(logger, "ended", 0);
        if (ended > 0) await audit.RecordAsync(new StaffEvent(AuditKinds.ShiftEnded, supporterId, "reason", reason));
        notifier.QueueChanged();
        return await StatusAsync(db, supporterId, ct);
    }

    private static async Task<ShiftStatus> StatusAsync(PeerLineDb db, string supporterId, CancellationToken ct)
    {
        var shift = await db.Shifts.AsNoTracking().SingleOrDefaultAsync(s => s.SupporterId == supporterId, ct);
        return shift is null ? new ShiftStatus(false, 0, 0) : new ShiftStatus(shift.OnShift, shift.Capacity, shift.ActiveSessions);
    }
}
