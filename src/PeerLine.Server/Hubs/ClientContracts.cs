using PeerLine.Protocol.Wire;

namespace PeerLine.Server.Hubs;

/// <summary>Events a caller's connection receives.</summary>
public interface ICallerClient
{
    Task MessageReceived(RelayEnvelope message);
    Task MessagesDelivered(DeliveryReceipt receipt);
    Task QueueMoved(QueueStatus status);
    Task SessionChanged(SessionChange change);
    Task LeadInvited(LeadInvitation invitation);
    Task LeadMessageReceived(RelayEnvelope message);
    Task LeadMessagesDelivered(DeliveryReceipt receipt);
}

/// <summary>Events a staff connection receives.</summary>
public interface IStaffClient
{
    Task MessageReceived(RelayEnvelope message);
    Task MessagesDelivered(DeliveryReceipt receipt);
    Task SessionChanged(SessionChange change);
    Task QueueChanged(QueueSnapshot snapshot);
    Task SessionOffered(SessionOffer offer);
    Task OfferWithdrawn(string sessionId);
    Task CrisisAlert(CrisisAlert alert);
    Task WellbeingNotice(WellbeingNotice notice);
    Task CallerPresence(CallerPresence presence);
}

/// <summary>SignalR group names. A caller's group is its session; a supporter's group is its staff id.</summary>
public static class HubGroups
{
    public const string AllStaff = "staff";
    public static string Caller(string sessionId) => "c:" + sessionId;
    public static string Supporter(string staffId) => "s:" + staffId;
}
