using Microsoft.EntityFrameworkCore;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Escalation;

/// <summary>A resource card travels end to end; the server records only its kind, for a session the supporter holds.</summary>
public sealed class ResourceCardTests() : AppScenario
{
    [Fact]
    public async Task SharedResource_OnlyItsKindIsStored()
    {
        await using var supporter = await App.SupporterOnShiftAsync("rae");
        await using var caller = await App.RequestSupportAsync(Topics.AdverseEvent, Priorities.Soon);
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;

        await supporter.ShareResourceAsync(session, ResourceKinds.PhysicianSupportLine).Within();
        await supporter.ShareResourceAsync(session, ResourceKinds.Eap).Within();

        var rows = await App.DbAsync(db => db.SharedResources.OrderBy(r => r.Number).Select(r => new { r.SessionId, r.Kind }).ToListAsync());
        Assert.Equal([ResourceKinds.PhysicianSupportLine, ResourceKinds.Eap], rows.Select(r => r.Kind));
        Assert.All(rows, r => Assert.Equal(session, r.SessionId));
    }

    [Fact]
    public async Task UnknownKind_OrASessionNotHeld_Refused()
    {
        await using var holder = await App.SupporterOnShiftAsync("una");
        await using var other = await App.SupporterOnShiftAsync("oli");
        await using var caller = await App.RequestSupportAsync();
        var session = (await holder.ClaimNextAsync().Within()).SessionId;

        var unknown = await Assert.ThrowsAsync<RelayException>(() => holder.ShareResourceAsync(session, "a free-text note").Within());
        Assert.Equal(ErrorCodes.InvalidArgument, unknown.Code);
        var notHeld = await Assert.ThrowsAsync<RelayException>(() => other.ShareResourceAsync(session, ResourceKinds.CrisisLine).Within());
        Assert.Equal(ErrorCodes.NotFound, notHeld.Code);
        Assert.Equal(0, await App.DbAsync(db => db.SharedResources.CountAsync()));
    }
}
