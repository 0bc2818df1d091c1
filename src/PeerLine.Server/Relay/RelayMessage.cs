namespace PeerLine.Server.Relay;

public enum Direction { CallerToSupporter = 0, SupporterToCaller = 1, CallerToLead = 2, LeadToCaller = 3 }

/// <summary>Ciphertext waiting for its recipient's acknowledgement. Deleted at the ack, and at close at the latest.</summary>
public sealed class RelayMessage
{
    public long Number { get; set; }
    public required string SessionId { get; set; }
    public Direction Direction { get; set; }
    public long Seq { get; set; }
    public Guid MessageId { get; set; }
    public required byte[] Ciphertext { get; set; }
}
