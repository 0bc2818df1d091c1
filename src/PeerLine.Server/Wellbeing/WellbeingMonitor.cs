using Microsoft.Extensions.Options;

namespace PeerLine.Server.Wellbeing;

/// <summary>Runs the well-being check on a timer (through TimeProvider, so tests can also call the check directly).</summary>
public sealed class WellbeingMonitor(WellbeingService wellbeing, TimeProvider time, IOptions<WellbeingOptions> options, ILogger<WellbeingMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckIntervalSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await wellbeing.CheckAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { WellbeingLog.CheckFailed(logger, e.GetType().Name); }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
