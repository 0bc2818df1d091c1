using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Escalation;
using PeerLine.Server.Hosting;
using PeerLine.Server.Queue;
using PeerLine.Server.Relay;
using PeerLine.Server.Staff;
using PeerLine.Server.Supervision;

namespace PeerLine.Server.Hubs;

/// <summary>Supporters and leads on shift. Every method needs an authenticated, enabled staff member in an answering role.</summary>
[Authorize(Policy = StaffPolicies.Answering)]
public sealed class StaffHub(
    ShiftService shifts,
    ResourceSharing resources,
    SupervisionService supervision,
    ClaimService claims,
    HandoverService handover,
    QueueReader reader,
    RelayService relay,
    UserManager<StaffUser> users) : Hub<IStaffClient>, IStaffHub
{
    public override async Task OnConnectedAsync()
    {
        var user = await users.FindByIdAsync(Me);
        if (user is null || user.Disabled)
        {
            Context.Abort();
            return;
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Supporter(Me));
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.AllStaff);
        await base.OnConnectedAsync();
    }

    public async Task<ShiftStatus> StartShift(int? capacity)
    {
        await EnsureEnabledAsync();
        return await shifts.StartAsync(Me, capacity, Context.ConnectionAborted);
    }

    public Task<ShiftStatus> EndShift() => shifts.EndAsync(Me, ShiftService.EndedBySelf, Context.ConnectionAborted);

    public Task<QueueSnapshot> GetQueue() => reader.SnapshotAsync(Context.ConnectionAborted);

    public async Task<SessionView> ClaimNext()
    {
        await EnsureEnabledAsync();
        return await WithPendingAsync(await claims.ClaimNextAsync(Me, Context.ConnectionAborted));
    }

    public async Task<SessionView> Claim(string sessionId)
    {
        await EnsureEnabledAsync();
        return await WithPendingAsync(await claims.ClaimAsync(Me, Required(sessionId), Context.ConnectionAborted));
    }

    public Task DeclineOffer(string sessionId) => claims.DeclineAsync(Me, Required(sessionId), Context.ConnectionAborted);

    /// <summary>A resource card was sent in this session (end to end); the server keeps only its kind.</summary>
    public Task ShareResource(string sessionId, string kind) =>
        resources.RecordAsync(Me, Required(sessionId), kind, Context.ConnectionAborted);

    /// <summary>
    /// The sessions this staff member holds, then those they joined as a lead (Role "lead"); whatever is still
    /// unacknowledged for them follows as MessageReceived.
    /// </summary>
    public async Task<IReadOnlyList<SessionView>> Resume()
    {
        var views = await reader.HeldByAsync(Me, Context.ConnectionAborted);
        foreach (var session in views) await WithPendingAsync(session);
        return views;
    }

    /// <summary>Sends what the caller already wrote to this staff member (returned, transferred or joined sessions).</summary>
    private async Task<SessionView> WithPendingAsync(SessionView session)
    {
        var toward = session.Role == SessionRoles.Lead ? Direction.CallerToLead : Direction.CallerToSupporter;
        foreach (var message in await relay.PendingAsync(session.SessionId, toward, Context.ConnectionAborted))
            await Clients.Caller.MessageReceived(message);
        return session;
    }

    /// <summary>A login disabled while connected takes no new shift and no new session.</summary>
    private async Task EnsureEnabledAsync()
    {
        var user = await users.FindByIdAsync(Me);
        if (user is null || user.Disabled) throw new PeerLineException(ErrorCodes.NotAllowed);
    }

    /// <summary>As the supporter holding the session, or as the lead in it: the direction follows from who sends.</summary>
    public Task SendCiphertext(string sessionId, Guid messageId, long seq, byte[] ciphertext) =>
        relay.SendAsync(Required(sessionId), null, Me, messageId, seq, ciphertext, Context.ConnectionAborted);

    public Task Acknowledge(string sessionId, long upToSeq) =>
        relay.AcknowledgeAsync(Required(sessionId), null, Me, upToSeq, Context.ConnectionAborted);

    /// <summary>The supporter holding the session asks the caller whether this lead (on shift) may join.</summary>
    public async Task InviteLead(string sessionId, string leadLogin)
    {
        var lead = await users.FindByNameAsync(Required(leadLogin));
        if (lead is null || lead.Disabled || !await users.IsInRoleAsync(lead, StaffRoles.Lead)) throw new PeerLineException(ErrorCodes.NotFound);
        await supervision.InviteAsync(Me, Required(sessionId), lead.Id, Context.ConnectionAborted);
    }

    /// <summary>A lead leaves a session they joined; the caller and the supporter are told.</summary>
    public Task LeaveSession(string sessionId) => supervision.LeaveAsync(Me, Required(sessionId), Context.ConnectionAborted);

    public Task CloseSession(string sessionId, string disposition) =>
        handover.CloseAsync(Me, Required(sessionId), disposition, Context.ConnectionAborted);

    /// <summary>Hands a session to the named supporter on shift, or back to the queue when <paramref name="toLogin"/> is null.</summary>
    public async Task Transfer(string sessionId, string? toLogin)
    {
        string? target = null;
        if (toLogin is not null)
        {
            var user = await users.FindByNameAsync(toLogin);
            if (user is null || user.Disabled) throw new PeerLineException(ErrorCodes.NotFound);
            target = user.Id;
        }
        await handover.TransferAsync(Me, Required(sessionId), target, Context.ConnectionAborted);
    }

    private string Me => Context.UserIdentifier ?? throw new PeerLineException(ErrorCodes.NotAllowed);

    private static string Required(string? value) =>
        string.IsNullOrEmpty(value) ? throw new PeerLineException(ErrorCodes.InvalidArgument) : value;
}
