using Microsoft.Extensions.Time.Testing;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Abuse;

/// <summary>Requests waiting at once and requests per hour are capped per source; other sources do not notice.</summary>
public sealed class RequestsPerSourceTests
{
    [Fact]
    public async Task WaitingRequests_AtTheDefaultCap_NextRefusedWithSourceLimit_UntilOneLeavesTheQueue()
    {
        await using var app = new PeerLineApp(new() { ["Abuse:WaitingPerSource"] = "4", ["Abuse:RequestsPerSourcePerHour"] = "20" });
        var waiting = new List<PeerLine.Client.Relay.CallerRelayClient>();
        for (var i = 0; i < 4; i++) waiting.Add(await app.RequestFromAsync("203.0.113.5"));

        Assert.Equal(ErrorCodes.SourceLimit, await app.RefusedRequestFromAsync("203.0.113.5"));
        await using (var other = await app.RequestFromAsync("203.0.113.6"))
            Assert.NotNull(other.Ticket);

        await waiting[0].EndAsync().Within(); // withdrawn: it left the queue
        waiting.Add(await app.RequestFromAsync("203.0.113.5"));
        Assert.Equal(ErrorCodes.SourceLimit, await app.RefusedRequestFromAsync("203.0.113.5"));
        foreach (var caller in waiting) await caller.DisposeAsync();
    }

    [Fact]
    public async Task Requests_OverThePerHourCap_RefusedWithSourceLimit_UntilTheHourHasPassed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new PeerLineApp(new() { ["Abuse:WaitingPerSource"] = "10", ["Abuse:RequestsPerSourcePerHour"] = "2" }, time);
        for (var i = 0; i < 2; i++)
        {
            await using var caller = await app.RequestFromAsync("203.0.113.9");
            await caller.EndAsync().Within(); // nothing left waiting: only the hourly count refuses
        }

        Assert.Equal(ErrorCodes.SourceLimit, await app.RefusedRequestFromAsync("203.0.113.9"));
        await using (var other = await app.RequestFromAsync("203.0.113.10"))
            Assert.NotNull(other.Ticket);

        time.Advance(TimeSpan.FromMinutes(61));
        await using var later = await app.RequestFromAsync("203.0.113.9");
        Assert.NotNull(later.Ticket);
    }
}
