using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace PeerLine.Server.Staff;

/// <summary>
/// Checks every authenticated staff request against the account as it is now: a cookie or token of a disabled or
/// deleted login, or one issued before its role changed (the security stamp moved), counts as no sign-in at all.
/// Without this, a demoted auditor would keep reading the audit trail until the cookie or token expired.
/// </summary>
public sealed class CurrentStaffCheck(UserManager<StaffUser> users, IOptions<IdentityOptions> identity) : IClaimsTransformation
{
    private static readonly ClaimsPrincipal Nobody = new(new ClaimsIdentity());

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return principal;
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        if (id is null || stamp is null) return Nobody;
        var user = await users.FindByIdAsync(id);
        if (user is null || user.Disabled || user.SecurityStamp is null) return Nobody;
        var stampMatches = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stamp), Encoding.UTF8.GetBytes(user.SecurityStamp));
        return stampMatches ? principal : Nobody;
    }
}
