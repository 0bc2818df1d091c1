using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Puzzle;

/// <summary>The proof of work asked of every new request (protocol.md §3) and how its price follows the pressure on the queue.</summary>
public sealed class PuzzleOptions
{
    public const string SectionName = "Puzzle";

    /// <summary>Leading zero bits asked when the queue drains as fast as requests arrive (about 2^bits PBKDF2 runs).</summary>
    [Range(0, 32)] public int BaseBits { get; set; } = 8;

    /// <summary>The most the price rises under pressure.</summary>
    [Range(0, 32)] public int MaxBits { get; set; } = 16;

    /// <summary>PBKDF2-HMAC-SHA256 iterations per attempt.</summary>
    [Range(1, 1_000_000)] public int Iterations { get; set; } = 1000;

    /// <summary>How long a challenge may be answered.</summary>
    [Range(10, 86_400)] public int ChallengeSeconds { get; set; } = 600;

    /// <summary>The window over which requests accepted and requests that left the queue are compared.</summary>
    [Range(1, 86_400)] public int PressureWindowSeconds { get; set; } = 60;

    /// <summary>Each doubling of this surplus (requests beyond what left the queue, plus waiting beyond CalmQueueLength) adds one bit.</summary>
    [Range(1, 1_000_000)] public int SurplusPerBit { get; set; } = 10;

    /// <summary>A queue up to this long is normal and raises no price.</summary>
    [Range(0, 1_000_000)] public int CalmQueueLength { get; set; } = 20;
}
