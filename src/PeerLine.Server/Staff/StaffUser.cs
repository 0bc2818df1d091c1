using Microsoft.AspNetCore.Identity;

namespace PeerLine.Server.Staff;

/// <summary>A staff login. No name, e-mail or phone: the login is all Identity needs.</summary>
public sealed class StaffUser : IdentityUser
{
    public bool Disabled { get; set; }
}
