using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Staff;

/// <summary>Argon2id cost for staff passwords. Stored with every hash; a login under old costs rehashes.</summary>
public sealed class PasswordHashingOptions
{
    public const string SectionName = "PasswordHashing";

    /// <summary>Memory in KiB (19 MiB by default, the OWASP minimum for Argon2id).</summary>
    [Range(19 * 1024, 4 * 1024 * 1024)]
    public int MemoryKiB { get; set; } = 19 * 1024;

    [Range(2, 64)]
    public int Iterations { get; set; } = 2;

    /// <summary>libsodium's Argon2id supports a parallelism of 1 only.</summary>
    [Range(1, 1)]
    public int Parallelism { get; set; } = 1;
}
