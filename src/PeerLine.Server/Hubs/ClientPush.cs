using Microsoft.AspNetCore.SignalR;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Queue;
using PeerLine.Server.Relay;

namespace PeerLine.Server.Hubs;

/// <summary>Every server-initiated message goes through here, so services never touch hub internals.</summary>
public sealed class ClientPush(IHubContext<CallerHub, ICallerClient> callers, IHubContext<StaffHub, IStaffClient> staff)
{
    /// <summary>To the recipient of <paramref name="direction"/>; <paramref name="staffId"/> is the staff member at its staff end.</summary>
    public Task Deliver(RelayEnvelope message, Direction direction, string? staffId) => direction switch
    {
        Direction.SupporterToCaller => callers.Clients.Group(HubGroups.Caller(message.SessionId)).MessageReceived(message),
        Direction.LeadToCaller => callers.Clients.Group(HubGroups.Caller(message.SessionId)).LeadMessageReceived(message),
        _ when staffId is not null => staff.Clients.Group(HubGroups.Supporter(staffId)).MessageReceived(message),
        _ => Task.CompletedTask,
    };

    /// <summary>Tells the sender of <paramref name="direction"/> that the recipient acknowledged up to a sequence number.</summary>
    public Task Delivered(DeliveryReceipt receipt, Direction direction, string? staffId) => direction switch
    {
        Direction.CallerToSupporter => callers.Clients.Group(HubGroups.Caller(receipt.SessionId)).MessagesDelivered(receipt),
        Direction.CallerToLead => callers.Clients.Group(HubGroups.Caller(receipt.SessionId)).LeadMessagesDelivered(receipt),
        _ when staffId is not null => staff.Clients.Group(HubGroups.Supporter(staffId)).MessagesDelivered(receipt),
        _ => Task.CompletedTask,
    };

    public Task LeadInvited(string sessionId) =>
        callers.Clients.Group(HubGroups.Caller(sessionId)).LeadInvited(new LeadInvitation(sessionId));

    public Task ToCaller(string sessionId, SessionState state, string reason) =>
        callers.Clients.Group(HubGroups.Caller(sessionId)).SessionChanged(new SessionChange(sessionId, state.Code(), reason));

    public Task ToSupporter(string supporterId, string sessionId, SessionState state, string reason) =>
        staff.Clients.Group(HubGroups.Supporter(supporterId)).SessionChanged(new SessionChange(sessionId, state.Code(), reason));

    public Task QueueMoved(string sessionId, QueueStatus status) =>
        callers.Clients.Group(HubGroups.Caller(sessionId)).QueueMoved(status);

    public Task QueueChanged(QueueSnapshot snapshot) => staff.Clients.Group(HubGroups.AllStaff).QueueChanged(snapshot);

    public Task Offer(string supporterId, SessionOffer offer) =>
        staff.Clients.Group(HubGroups.Supporter(supporterId)).SessionOffered(offer);

    public Task CrisisAlert(IReadOnlyList<string> staffIds, CrisisAlert alert) =>
        staff.Clients.Groups(staffIds.Select(HubGroups.Supporter).ToList()).CrisisAlert(alert);

    public Task WellbeingNotice(IReadOnlyList<string> staffIds, WellbeingNotice notice) =>
        staff.Clients.Groups(staffIds.Distinct().Select(HubGroups.Supporter).ToList()).WellbeingNotice(notice);

    /// <summary>To the staff members in a session (its supporter and its lead, when there are): the caller went away or came back.</summary>
    public Task CallerPresence(IEnumerable<string?> staffIds, string sessionId, bool present)
    {
        var groups = staffIds.OfType<string>().Distinct().Select(HubGroups.Supporter).ToList();
        return groups.Count == 0 ? Task.CompletedTask : staff.Clients.Groups(groups).CallerPresence(new CallerPresence(sessionId, present));
    }

    public Task OfferWithdrawn(string supporterId, string sessionId) =>
        staff.Clients.Group(HubGroups.Supporter(supporterId)).OfferWithdrawn(sessionId);
}
