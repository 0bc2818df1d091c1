namespace PeerLine.Server.Escalation;

/// <summary>
/// A supporter shared a resource card in a chat. Only the kind is kept (a ResourceKinds code): the card itself,
/// which resource it was and anything said about it travel end to end and are never seen here.
/// </summary>
public sealed class SharedResource
{
    public long Number { get; set; }
    public required string SessionId { get; set; }
    public required string Kind { get; set; }
    public long SharedAt { get; set; }
}
