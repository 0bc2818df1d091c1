using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Roster;

public sealed class RosterOptions
{
    public const string SectionName = "Roster";

    /// <summary>File in the data directory that holds the roster signing key (created at first start, mode 600).</summary>
    public string KeyFile { get; set; } = "roster.key";

    /// <summary>How long a device certificate is valid.</summary>
    [Range(1, 365)] public int CertificateDays { get; set; } = 30;
}
