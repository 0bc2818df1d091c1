namespace PeerLine.Server.Hosting;

public static class TimeProviderExtensions
{
    /// <summary>Stored times are Unix milliseconds: provider-neutral and orderable in every database.</summary>
    public static long NowMs(this TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();
}
