using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Roster;

public enum RosterMode
{
    /// <summary>Single box: the roster key lives in the data directory and `staff certify` signs on the server.</summary>
    Server = 0,
    /// <summary>The roster key stays offline (`peerline roster init/sign`); the server knows only its public key.</summary>
    Offline = 1,
}

public sealed class RosterOptions
{
    public const string SectionName = "Roster";

    public RosterMode Mode { get; set; } = RosterMode.Server;

    /// <summary>Offline mode: the roster public key (base64 of 32 bytes), as printed by `peerline roster init`.</summary>
    public string? PublicKey { get; set; }

    /// <summary>File in the data directory that holds the roster signing key (server mode; created at first start, mode 600).</summary>
    public string KeyFile { get; set; } = "roster.key";

    /// <summary>How long a device certificate signed on the server is valid.</summary>
    [Range(1, 365)] public int CertificateDays { get; set; } = 30;
}
