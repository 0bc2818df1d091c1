namespace PeerLine.Server.Hosting;

/// <summary>
/// One pass of some work every <see cref="Period"/> on the <see cref="TimeProvider"/>'s clock (so tests drive it, or
/// call the pass themselves). A failed pass is reported and the next one still runs on time; stopping ends quietly.
/// </summary>
public abstract class PeriodicWork(TimeProvider time) : BackgroundService
{
    /// <summary>The clock of the timer, for the work's own reading of "now".</summary>
    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Period { get; }

    protected abstract Task TickAsync(CancellationToken ct);

    /// <summary>Logs a failed pass: the exception's type name only.</summary>
    protected abstract void TickFailed(string errorKind);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await TickAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { TickFailed(e.GetType().Name); }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
