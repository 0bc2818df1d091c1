using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Staff;

public static class OnShiftLeads
{
    /// <summary>Staff ids of the leads who are on shift now.</summary>
    public static Task<List<string>> OfOnShiftLeadsAsync(this PeerLineDb db, CancellationToken ct)
    {
        var leadRole = db.Roles.Where(r => r.Name == StaffRoles.Lead).Select(r => r.Id);
        return db.Shifts
            .Where(s => s.OnShift && db.UserRoles.Any(ur => ur.UserId == s.SupporterId && leadRole.Contains(ur.RoleId)))
            .Select(s => s.SupporterId).ToListAsync(ct);
    }
}
