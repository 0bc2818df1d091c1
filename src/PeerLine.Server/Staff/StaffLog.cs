namespace PeerLine.Server.Staff;

/// <summary>Staff events: kinds only, never logins, passwords or tokens. EventIds 4000–4999.</summary>
public static partial class StaffLog
{
    [LoggerMessage(4001, LogLevel.Information, "Staff signed in ({Kind})")]
    public static partial void LoggedIn(ILogger logger, string kind);

    [LoggerMessage(4002, LogLevel.Warning, "Staff sign-in refused: {Reason}")]
    public static partial void LoginRefused(ILogger logger, string reason);

    [LoggerMessage(4003, LogLevel.Information, "Staff account {Change}")]
    public static partial void AccountChanged(ILogger logger, string change);
}
