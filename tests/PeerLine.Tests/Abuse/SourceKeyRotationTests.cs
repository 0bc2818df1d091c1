using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Server.Abuse;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Abuse;

/// <summary>
/// The source hash's key is replaced every Abuse:SourceKeyMinutes; counts made under the previous key carry over for
/// one period, then nothing links them to the address any more, and entries with nothing counted are gone.
/// </summary>
public sealed class SourceKeyRotationTests : IAsyncLifetime
{
    private static readonly IPAddress Caller = IPAddress.Parse("203.0.113.40");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly PeerLineApp _app;

    public SourceKeyRotationTests() =>
        _app = new PeerLineApp(new() { ["Abuse:ConnectionsPerSource"] = "1", ["Abuse:SourceKeyMinutes"] = "60" }, _time);

    private SourceKeys Keys => _app.Services.GetRequiredService<SourceKeys>();
    private SourceTracker Tracker => _app.Services.GetRequiredService<SourceTracker>();

    public Task InitializeAsync()
    {
        _app.Start();
        // Start at the beginning of a key period, so "one period later" is exactly one rotation.
        var period = TimeSpan.FromMinutes(60);
        _time.Advance(period - TimeSpan.FromTicks(_time.GetUtcNow().Ticks % period.Ticks));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void SourceHash_ChangesWithTheKey_SameWithinAPeriod_IPv6GroupedBySlash64()
    {
        var first = Keys.Identify(Caller);
        Assert.Equal(first.Id, Keys.Identify(Caller).Id);
        Assert.NotEqual(first.Id, Keys.Identify(IPAddress.Parse("203.0.113.41")).Id);
        Assert.Equal(Keys.Identify(IPAddress.Parse("2001:db8:5:6::1")).Id, Keys.Identify(IPAddress.Parse("2001:db8:5:6:abcd::9")).Id);
        Assert.NotEqual(Keys.Identify(IPAddress.Parse("2001:db8:5:6::1")).Id, Keys.Identify(IPAddress.Parse("2001:db8:5:7::1")).Id);
        Assert.Equal(first.Id, Keys.Identify(IPAddress.Parse("::ffff:203.0.113.40")).Id);

        _time.Advance(TimeSpan.FromMinutes(60));
        var next = Keys.Identify(Caller);
        Assert.NotEqual(first.Id, next.Id);
        Assert.Equal(first.Id, next.PreviousId);
    }

    [Fact]
    public void Counts_CarryOverOneKeyPeriod_NotTwo()
    {
        var held = Tracker.TryConnect(Keys.Identify(Caller));
        Assert.NotNull(held);
        Assert.Null(Tracker.TryConnect(Keys.Identify(Caller)));

        _time.Advance(TimeSpan.FromMinutes(60));
        Assert.Null(Tracker.TryConnect(Keys.Identify(Caller))); // found under the previous key, and moved to the new one

        _time.Advance(TimeSpan.FromMinutes(120));
        using var afterTwoPeriods = Tracker.TryConnect(Keys.Identify(Caller));
        Assert.NotNull(afterTwoPeriods); // the old entry's keys are gone: nothing links it to the address

        held.Dispose();
        afterTwoPeriods.Dispose();
        Tracker.Sweep();
        Assert.Equal(0, Tracker.Count);
    }

    [Fact]
    public void Entries_WithNothingCounted_AreRemovedAtOnce()
    {
        var lease = Tracker.TryConnect(Keys.Identify(Caller));
        Assert.Equal(1, Tracker.Count);
        lease!.Dispose();
        Assert.Equal(0, Tracker.Count);
    }
}
