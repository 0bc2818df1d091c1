using Microsoft.AspNetCore.Identity;

namespace PeerLine.Server.Staff;

/// <summary>A staff login. No name, e-mail or phone: the login is all Identity needs.</summary>
public sealed class StaffUser : IdentityUser
{
    public bool Disabled { get; set; }
}

public static class StaffRoles
{
    public const string Supporter = "supporter";
    public const string Lead = "lead";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Supporter, Lead, Auditor, Admin];

    /// <summary>Roles that take shifts and answer callers.</summary>
    public const string Answering = Supporter + "," + Lead;
}
