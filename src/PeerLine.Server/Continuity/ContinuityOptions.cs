using System.ComponentModel.DataAnnotations;

namespace PeerLine.Server.Continuity;

/// <summary>Return codes: a caller may come back to the same supporter for a few meetings (AMA STEPS Forward: 1–3).</summary>
public sealed class ContinuityOptions
{
    public const string SectionName = "Continuity";

    /// <summary>Conversations one code covers, the first included.</summary>
    [Range(2, 10)] public int MaxMeetings { get; set; } = 3;

    /// <summary>Days a code stays valid after it is taken.</summary>
    [Range(1, 365)] public int CodeValidDays { get; set; } = 30;

    /// <summary>How long a returning caller's request is reserved for the earlier supporter before anyone may take it.</summary>
    [Range(10, 3600)] public int ReserveSeconds { get; set; } = 120;

    /// <summary>The key that turns a code's lookup value into what is stored, in the data directory.</summary>
    public string KeyFile { get; set; } = "return-code.key";
}
