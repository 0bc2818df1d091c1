namespace PeerLine.Protocol.Wire;

/// <summary>Events a staff connection receives; payloads and timing: docs/protocol.md §5 (Server events).</summary>
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
