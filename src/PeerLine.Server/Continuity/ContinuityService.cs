using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Hosting;
using PeerLine.Server.Queue;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Continuity;

/// <summary>
/// Continuity without identity: during a session the caller registers a return code's lookup value (derived from a
/// code that never leaves the caller's device); a later request presenting it goes first to the same supporter.
/// </summary>
public sealed class ContinuityService(
    IDbContextFactory<PeerLineDb> dbs,
    ReturnCodeKey key,
    TimeProvider time,
    IOptionsMonitor<ContinuityOptions> options,
    ILogger<ContinuityService> logger)
{
    public const int LookupBytes = 32;
    private const long DayMs = 86_400_000L;

    /// <summary>Links a new code to the supporter holding the caller's active session.</summary>
    public async Task<ReturnCodeInfo> RegisterAsync(string sessionId, byte[]? lookup, CancellationToken ct)
    {
        if (lookup is not { Length: LookupBytes }) throw new PeerLineException(ErrorCodes.InvalidArgument);
        var o = options.CurrentValue;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var supporter = await db.Sessions.Where(s => s.Id == sessionId && s.State == SessionState.Active)
            .Select(s => s.SupporterId).SingleOrDefaultAsync(ct) ?? throw new PeerLineException(ErrorCodes.WrongState);
        var tag = key.Tag(lookup);
        if (await db.ReturnCodes.AnyAsync(r => r.Tag == tag, ct)) throw new PeerLineException(ErrorCodes.InvalidArgument);

        var now = time.NowMs();
        db.ReturnCodes.Add(new ReturnCode
        {
            Tag = tag,
            SupporterId = supporter,
            MeetingsUsed = 1,
            // Rounded up to a whole day, so the row does not tell when, within that day, the code was taken.
            ExpiresAt = (now / DayMs + 1 + o.CodeValidDays) * DayMs,
        });
        await db.SaveChangesAsync(ct);
        ContinuityLog.CodeTaken(logger);
        return new ReturnCodeInfo(o.MaxMeetings - 1, o.CodeValidDays);
    }

    /// <summary>
    /// Uses one meeting of a code: the supporter to offer the new session to first (when on shift) and the route
    /// the caller is told. An unknown, expired or used-up code leads to the normal queue.
    /// </summary>
    public async Task<(string? PreferredSupporter, string Route)> UseAsync(byte[]? lookup, CancellationToken ct)
    {
        if (lookup is not { Length: LookupBytes }) return (null, ReturnRoutes.CodeNotValid);
        var now = time.NowMs();
        var max = options.CurrentValue.MaxMeetings;
        var tag = key.Tag(lookup);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var code = await db.ReturnCodes.AsNoTracking().SingleOrDefaultAsync(r => r.Tag == tag && r.ExpiresAt > now && r.MeetingsUsed < max, ct);
        var used = code is null ? 0 : await db.ReturnCodes
            .Where(r => r.Number == code.Number && r.MeetingsUsed == code.MeetingsUsed)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.MeetingsUsed, r => r.MeetingsUsed + 1), ct);
        if (used == 0)
        {
            ContinuityLog.CodeRefused(logger);
            return (null, ReturnRoutes.CodeNotValid);
        }
        var onShift = await db.Shifts.AnyAsync(s => s.SupporterId == code!.SupporterId && s.OnShift, ct);
        ContinuityLog.CodeUsed(logger, onShift ? ReturnRoutes.SameSupporter : ReturnRoutes.SupporterAway);
        return onShift ? (code!.SupporterId, ReturnRoutes.SameSupporter) : (null, ReturnRoutes.SupporterAway);
    }
}
