using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Queue;

public enum DispatchMode { Pull = 0, Push = 1 }

public sealed class QueueOptions
{
    public const string SectionName = "Queue";

    /// <summary>Pull: supporters claim. Push: the server also offers the head of the queue to a supporter.</summary>
    public DispatchMode Mode { get; set; } = DispatchMode.Pull;

    [Range(1, 16)] public int DefaultCapacity { get; set; } = 2;
    [Range(1, 16)] public int MaxCapacity { get; set; } = 6;

    /// <summary>Longest queue accepted; further requests are refused with queue-full.</summary>
    [Range(1, 1_000_000)] public int MaxWaiting { get; set; } = 5000;

    /// <summary>How long a push offer waits for an answer before it moves to another supporter.</summary>
    [Range(5, 3600)] public int OfferTimeoutSeconds { get; set; } = 45;

    /// <summary>
    /// A waiting caller without a connection keeps their place this many minutes (a phone call puts the page in the
    /// background); after that the request is marked abandoned. Active sessions are never abandoned.
    /// </summary>
    [Range(1, 1440)] public int AwayGraceMinutes { get; set; } = 20;

    /// <summary>How often expired offers, abandoned requests and leftover ciphertext are swept.</summary>
    [Range(1, 3600)] public int SweepIntervalSeconds { get; set; } = 5;

    /// <summary>Recent claims used to estimate the expected wait, and how far back they may be.</summary>
    [Range(3, 1000)] public int WaitSamples { get; set; } = 50;
    [Range(1, 720)] public int WaitSampleHours { get; set; } = 24;

    /// <summary>How many queue entries staff see in a snapshot.</summary>
    [Range(1, 500)] public int SnapshotSize { get; set; } = 50;

    /// <summary>Queue changes within this window are pushed together.</summary>
    [Range(0, 10_000)] public int NotifyDebounceMilliseconds { get; set; } = 150;
}
