namespace PeerLine.Tests.Infrastructure;

/// <summary>
/// Settings for a test that advances a FakeTimeProvider by hours or days: the periodic jobs tick rarely (a big
/// advance fires a timer once per period), and the test runs the passes it cares about itself.
/// </summary>
public static class QuietTimers
{
    public static Dictionary<string, string?> With(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Queue:SweepIntervalSeconds"] = "3600",
            ["Wellbeing:CheckIntervalSeconds"] = "3600",
            ["Audit:CheckIntervalSeconds"] = "3600",
            ["Storage:CheckpointSeconds"] = "3600",
            ["Retention:IntervalMinutes"] = "43200",
        };
        foreach (var (key, value) in settings ?? []) all[key] = value;
        return all;
    }
}
