namespace PeerLine.Server.Continuity;

/// <summary>
/// A return code as the server keeps it: a keyed hash of a value derived from the code (never the code, never
/// anything linking it to a session), the supporter it leads back to, how many meetings it has opened, and its
/// expiry, rounded up to the day.
/// </summary>
public sealed class ReturnCode
{
    public long Number { get; set; }
    public required byte[] Tag { get; set; }
    public required string SupporterId { get; set; }
    public int MeetingsUsed { get; set; }
    public long ExpiresAt { get; set; }
}
