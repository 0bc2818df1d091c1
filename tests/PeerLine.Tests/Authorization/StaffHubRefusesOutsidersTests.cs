using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR.Client;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Hubs;
using PeerLine.Server.Staff;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Authorization;

public sealed class StaffHubRefusesOutsidersTests() : AppScenario
{
    public static IEnumerable<object[]> StaffHubMethods() =>
        typeof(StaffHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.Name is not nameof(StaffHub.OnConnectedAsync))
            .Select(m => new object[] { m.Name, m.GetParameters().Length });

    [Theory]
    [MemberData(nameof(StaffHubMethods))]
    public async Task AnyStaffMethod_AnonymousConnection_Refused(string method, int parameterCount)
    {
        Assert.Null(typeof(StaffHub).GetMethod(method)!.GetCustomAttribute<AllowAnonymousAttribute>());
        await using var anonymous = App.RawConnection(HubRoutes.Staff);

        // The connection itself is refused, so no method (here: {method}) can ever be invoked.
        var refused = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await anonymous.StartAsync().Within();
            await anonymous.InvokeCoreAsync(method, new object?[parameterCount]).Within();
        });
        Assert.Contains("401", refused.Message);
    }

    [Fact]
    public void StaffHub_RequiresTheAnsweringPolicy()
    {
        var authorize = typeof(StaffHub).GetCustomAttribute<AuthorizeAttribute>();
        Assert.Equal(StaffPolicies.Answering, authorize?.Policy);
    }

    [Fact]
    public async Task StaffHub_AuditorToken_Refused()
    {
        await App.CreateStaffAsync("audrey", StaffRoles.Auditor);
        var token = await App.TokenAsync("audrey");

        await using var auditor = App.RawConnection(HubRoutes.Staff, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token));
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => auditor.StartAsync().Within());
        Assert.Contains("403", refused.Message);
    }

    [Fact]
    public async Task StaffApi_Me_AnonymousRefused()
    {
        using var http = App.Http();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/staff/me")).StatusCode);
    }
}
