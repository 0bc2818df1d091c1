using System.Net;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Relay;

/// <summary>Malformed input gets a generic refusal; the connection and the server keep working.</summary>
public sealed class BadInputTests() : AppScenario
{
    [Fact]
    public async Task HubCall_WrongArgumentTypesAndUnknownMethod_Refused_ConnectionStillWorks()
    {
        await using var caller = App.RawConnection(HubRoutes.Caller);
        await caller.StartAsync().Within();

        await Assert.ThrowsAsync<HubException>(() => caller.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), 42,
            new { x = 1 }).Within());
        await Assert.ThrowsAsync<HubException>(() => caller.InvokeAsync(nameof(ICallerHub.SendCiphertext), "s", "not-a-guid", "x",
            "not-base64!").Within());
        await Assert.ThrowsAsync<HubException>(() => caller.InvokeAsync("DropTables").Within());
        await Assert.ThrowsAsync<HubException>(() => caller.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), null, null).Within());

        var ticket = await caller.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Burnout, Priorities.Routine,
            await caller.SolvedPuzzleAsync()).Within();
        Assert.Equal(SessionStates.Waiting, ticket.Queue.State);
        App.Logs.AssertNoErrors();
    }

    [Fact]
    public async Task HubMessage_LargerThanTheLimit_ConnectionClosed_ServerStillServes()
    {
        await using var caller = App.RawConnection(HubRoutes.Caller);
        var closed = new TaskCompletionSource();
        caller.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await caller.StartAsync().Within();

        // Far beyond MaximumReceiveMessageSize: SignalR drops the connection rather than buffer it.
        _ = caller.InvokeAsync(nameof(ICallerHub.SendCiphertext), "s", Guid.NewGuid(), 1L, new byte[200 * 1024]);
        await closed.Task.Within();

        await using var next = App.RawConnection(HubRoutes.Caller);
        await next.StartAsync().Within();
        await next.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Other, Priorities.Soon,
            await next.SolvedPuzzleAsync()).Within();
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("{\"login\":5}")]
    public async Task Login_MalformedBody_400Or401_NeverAServerError(string body)
    {
        using var http = App.Http();

        var response = await http.PostAsync("/api/staff/token", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized });
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
    }
}
