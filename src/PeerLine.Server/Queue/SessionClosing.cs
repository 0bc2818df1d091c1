using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Queue;

/// <summary>What closing means, whoever closes: state, the supporter's freed slot, and every stored ciphertext gone.</summary>
public static class SessionClosing
{
    /// <summary>Call inside a transaction on <paramref name="db"/>; <paramref name="session"/> must be tracked.</summary>
    public static async Task CloseAsync(PeerLineDb db, SupportSession session, Disposition disposition, long now, CancellationToken ct)
    {
        var supporter = session.SupporterId;
        var wasActive = session.State == SessionState.Active;
        session.State = SessionState.Closed;
        session.ClosedAt = now;
        session.Disposition = disposition;
        session.OfferedTo = null;
        session.LastOfferedTo = null;
        await db.SaveChangesAsync(ct);

        if (wasActive && supporter is not null) await ReleaseSlotAsync(db, supporter, now, ct);
        await db.Messages.Where(m => m.SessionId == session.Id).ExecuteDeleteAsync(ct);
    }

    public static Task<int> ReleaseSlotAsync(PeerLineDb db, string supporterId, long now, CancellationToken ct) =>
        db.Shifts.Where(s => s.SupporterId == supporterId && s.ActiveSessions > 0)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ActiveSessions, s => s.ActiveSessions - 1).SetProperty(s => s.IdleSince, now), ct);

    /// <summary>Takes one slot of the supporter's capacity, or returns the reason it cannot.</summary>
    public static async Task<string?> TakeSlotAsync(PeerLineDb db, string supporterId, long now, CancellationToken ct)
    {
        var taken = await db.Shifts
            .Where(s => s.SupporterId == supporterId && s.OnShift && s.ActiveSessions < s.Capacity)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ActiveSessions, s => s.ActiveSessions + 1).SetProperty(s => s.IdleSince, now), ct);
        if (taken == 1) return null;
        var onShift = await db.Shifts.AnyAsync(s => s.SupporterId == supporterId && s.OnShift, ct);
        return onShift ? ErrorCodes.NoCapacity : ErrorCodes.NotOnShift;
    }
}
