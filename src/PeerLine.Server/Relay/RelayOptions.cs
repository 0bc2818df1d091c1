using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Relay;

public sealed class RelayOptions
{
    public const string SectionName = "Relay";

    /// <summary>Largest ciphertext accepted in one message, in bytes (16 KiB by default).</summary>
    [Range(256, 1024 * 1024)] public int MaxCiphertextBytes { get; set; } = 16 * 1024;

    /// <summary>Most messages written in one database transaction (group commit).</summary>
    [Range(1, 10_000)] public int MaxBatch { get; set; } = 256;

    /// <summary>Sends waiting for the writer; a full queue makes senders wait (back-pressure), it drops nothing.</summary>
    [Range(1, 1_000_000)] public int WriteQueueLength { get; set; } = 10_000;

    /// <summary>Most unacknowledged messages stored per session and direction; a send past it is refused with held-full.</summary>
    [Range(1, 100_000)] public int MaxHeldMessages { get; set; } = 200;

    /// <summary>Most unacknowledged ciphertext bytes stored per session and direction (4 MiB by default); at least one largest message.</summary>
    [Range(256, 1L << 30)] public long MaxHeldBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>An active session whose caller and staff have all been gone this long is closed (closed-idle).</summary>
    [Range(1, 24 * 365)] public int IdleSessionHours { get; set; } = 24;

    /// <summary>How often the idle-session check runs.</summary>
    [Range(1, 86_400)] public int IdleCheckSeconds { get; set; } = 300;
}
