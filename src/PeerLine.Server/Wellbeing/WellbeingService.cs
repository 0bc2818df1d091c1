using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Hosting;
using PeerLine.Server.Hubs;
using PeerLine.Server.Queue;
using PeerLine.Server.Staff;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Wellbeing;

/// <summary>
/// Watches shift lengths and weekly hours, and suggests a debrief after a crisis session. Notices go to the supporter
/// concerned and to the leads on shift, nobody else.
/// </summary>
public sealed class WellbeingService(
    IDbContextFactory<PeerLineDb> dbs,
    IServiceScopeFactory scopes,
    ShiftService shifts,
    ClientPush push,
    TimeProvider time,
    IOptionsMonitor<WellbeingOptions> options,
    ILogger<WellbeingService> logger)
{
    private readonly HashSet<(string Supporter, long ShiftStart)> _warned = [];

    public sealed record Status(bool OnShift, int ShiftMinutes, int MaxShiftMinutes, int WeekMinutes, int WeeklyCapMinutes);

    public async Task<Status> StatusAsync(string supporterId, CancellationToken ct)
    {
        var now = time.NowMs();
        var o = options.CurrentValue;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var shift = await db.Shifts.AsNoTracking().SingleOrDefaultAsync(s => s.SupporterId == supporterId, ct);
        var onShift = shift?.OnShift == true;
        return new Status(onShift, onShift ? Minutes(now - shift!.StartedAt) : 0, o.MaxShiftMinutes,
            Minutes(await ShiftRecords.LastWeekMsAsync(db, supporterId, now, ct)), o.WeeklyHoursCap * 60);
    }

    /// <summary>One pass: warn near the maximum, end shifts at the maximum or at the weekly cap.</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        var now = time.NowMs();
        var o = options.CurrentValue;
        List<Shift> onShift;
        await using (var db = await dbs.CreateDbContextAsync(ct)) onShift = await db.Shifts.AsNoTracking().Where(s => s.OnShift).ToListAsync(ct);

        foreach (var shift in onShift)
        {
            var shiftMs = now - shift.StartedAt;
            long weekMs;
            await using (var db = await dbs.CreateDbContextAsync(ct)) weekMs = await ShiftRecords.LastWeekMsAsync(db, shift.SupporterId, now, ct);

            string? kind = null;
            if (shiftMs >= o.MaxShiftMinutes * 60_000L) kind = WellbeingNotices.ShiftEnded;
            else if (weekMs >= o.WeeklyHoursCap * 3_600_000L) kind = WellbeingNotices.WeeklyCap;
            else if (shiftMs >= (o.MaxShiftMinutes - o.ShiftWarningMinutes) * 60_000L && _warned.Add((shift.SupporterId, shift.StartedAt)))
                kind = WellbeingNotices.ShiftLong;
            if (kind is null) continue;

            if (kind != WellbeingNotices.ShiftLong)
            {
                var reason = kind == WellbeingNotices.ShiftEnded ? ShiftService.EndedAtMaximum : ShiftService.EndedAtWeeklyCap;
                await shifts.EndAsync(shift.SupporterId, reason, ct);
            }
            await NotifyAsync(shift.SupporterId, kind, Minutes(shiftMs), Minutes(weekMs), ct);
        }
    }

    /// <summary>A crisis session this supporter held has closed: suggest a debrief to them and to the leads on shift.</summary>
    public async Task CrisisSessionClosedAsync(string supporterId, CancellationToken ct)
    {
        var status = await StatusAsync(supporterId, ct);
        await NotifyAsync(supporterId, WellbeingNotices.DebriefSuggested, status.ShiftMinutes, status.WeekMinutes, ct);
    }

    private async Task NotifyAsync(string supporterId, string kind, int shiftMinutes, int weekMinutes, CancellationToken ct)
    {
        List<string> leads;
        await using (var db = await dbs.CreateDbContextAsync(ct)) leads = await db.OfOnShiftLeadsAsync(ct);
        using var scope = scopes.CreateScope();
        var login = (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(supporterId))?.UserName ?? "";
        await push.WellbeingNotice([supporterId, .. leads], new WellbeingNotice(kind, login, shiftMinutes, weekMinutes));
        WellbeingLog.Notice(logger, kind, leads.Count);
    }

    private static int Minutes(long ms) => (int)(ms / 60_000);
}
