namespace PeerLine.Server.Web;

internal static partial class WebClientLog
{
    [LoggerMessage(8001, LogLevel.Warning, "The web client is not built: no pages are served (run the server's build with Node.js present)")]
    public static partial void WebClientMissing(ILogger logger);
}
