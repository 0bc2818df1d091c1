namespace PeerLine.Server.Wellbeing;

internal static partial class WellbeingLog
{
    [LoggerMessage(9001, LogLevel.Information, "Well-being notice {Kind} (to the supporter and {Leads} leads)")]
    public static partial void Notice(ILogger logger, string kind, int leads);

    [LoggerMessage(9002, LogLevel.Error, "Well-being check failed ({ErrorKind})")]
    public static partial void CheckFailed(ILogger logger, string errorKind);
}
