using Microsoft.Extensions.Options;
using PeerLine.Server.Hosting;

namespace PeerLine.Server.Wellbeing;

/// <summary>Runs the well-being check on a timer (through TimeProvider, so tests can also call the check directly).</summary>
public sealed class WellbeingMonitor(
    WellbeingService wellbeing, TimeProvider time, IOptions<WellbeingOptions> options, ILogger<WellbeingMonitor> logger)
    : PeriodicWork(time)
{
    protected override TimeSpan Period => TimeSpan.FromSeconds(options.Value.CheckIntervalSeconds);

    protected override Task TickAsync(CancellationToken ct) => wellbeing.CheckAsync(ct);

    protected override void TickFailed(string errorKind) => WellbeingLog.CheckFailed(logger, errorKind);
}
