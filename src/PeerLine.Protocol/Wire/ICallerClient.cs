namespace PeerLine.Protocol.Wire;

/// <summary>Events a caller's connection receives; payloads and timing: docs/protocol.md §5 (Server events).</summary>
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
