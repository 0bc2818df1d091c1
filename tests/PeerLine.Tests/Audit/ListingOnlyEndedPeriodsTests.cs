using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Audit;

/// <summary>By default the compliance list shows an hour's events only once the hour is over, so polling it cannot time them.</summary>
public sealed class ListingOnlyEndedPeriodsTests() : AppScenario(new PeerLineApp(QuietTimers.With(new() { ["Audit:ListOpenPeriod"] = "false" }),
    new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T14:20:00Z"))))
{
    [Fact]
    public async Task EventsOfTheHourUnderWay_ListedOnlyOnceItHasEnded()
    {
        await App.SupportedSessionAsync("sam");
        App.Time!.Advance(TimeSpan.FromMinutes(39)); // 14:59
        using var auditor = await App.AuditorAsync();
        Assert.Empty(await auditor.EventsAsync());
        var during = await auditor.GetFromJsonAsync<IntegrityStatus>("/api/audit/integrity");
        Assert.True(during!.Intact);
        Assert.Equal(0, during.Records); // a count that moved with each event would time it

        App.Time.Advance(TimeSpan.FromMinutes(1)); // 15:00
        using var later = await App.SignedInHttpAsync("audra");

        var events = await later.EventsAsync();
        Assert.Contains(events, e => e.Kind == AuditKinds.SessionClaimed);
        Assert.All(events, e => Assert.Equal(DateTimeOffset.Parse("2026-11-25T14:00:00Z"), e.At));
        var after = await later.GetFromJsonAsync<IntegrityStatus>("/api/audit/integrity");
        Assert.Equal(events.Count, after!.Records);
        Assert.Equal(events[^1].Seq, after.LastSeq);
    }
}
