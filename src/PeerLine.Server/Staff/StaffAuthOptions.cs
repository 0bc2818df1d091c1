using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Staff;

public sealed class StaffAuthOptions
{
    public const string SectionName = "StaffAuth";

    /// <summary>Lifetime of the bearer token the .NET client and CLI use.</summary>
    [Range(1, 240)] public int TokenMinutes { get; set; } = 15;

    /// <summary>Sliding lifetime of the browser cookie.</summary>
    [Range(1, 24)] public int CookieHours { get; set; } = 8;

    /// <summary>Login attempts accepted per minute across the server (the built-in rate limiter).</summary>
    [Range(1, 10_000)] public int LoginsPerMinute { get; set; } = 30;

    /// <summary>Failed passwords before an account locks, and for how long.</summary>
    [Range(1, 100)] public int MaxFailedLogins { get; set; } = 5;
    [Range(1, 1440)] public int LockoutMinutes { get; set; } = 15;

    [Range(12, 256)] public int MinPasswordLength { get; set; } = 12;
}

public static class StaffPolicies
{
    /// <summary>Supporters and leads: may take shifts and answer callers.</summary>
    public const string Answering = "answering";
    public const string Admin = "admin";
    /// <summary>Auditors: the compliance view, the audit trail and its export.</summary>
    public const string Auditing = "auditing";
    /// <summary>Leads and auditors: program metrics (suppressed counts only).</summary>
    public const string ProgramMetrics = "program-metrics";
}
