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
}
