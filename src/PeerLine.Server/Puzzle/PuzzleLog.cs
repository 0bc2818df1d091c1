namespace PeerLine.Server.Puzzle;

/// <summary>Puzzle events: prices and error kinds only, never a challenge, a proof or who sent it. EventIds 15000–15999.</summary>
public static partial class PuzzleLog
{
    /// <summary>At most once a second (the price is read no more often), so a flood cannot multiply it.</summary>
    [LoggerMessage(15001, LogLevel.Information, "Puzzle price changed from {FromBits} to {ToBits} bits")]
    public static partial void PriceChanged(ILogger logger, int fromBits, int toBits);

    [LoggerMessage(15002, LogLevel.Warning, "Puzzle pressure reading failed: {ErrorKind}")]
    public static partial void PressureReadFailed(ILogger logger, string errorKind);
}
