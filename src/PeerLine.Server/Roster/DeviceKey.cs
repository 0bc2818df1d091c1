namespace PeerLine.Server.Roster;

/// <summary>
/// A supporter device's X25519 public key. The private key never leaves the device. Certified by the roster key,
/// or revoked (then never served again).
/// </summary>
public sealed class DeviceKey
{
    /// <summary>Hex of the first 16 bytes of SHA-256(public key): the certificate's key id.</summary>
    public required string Id { get; set; }
    public required string StaffUserId { get; set; }
    public required byte[] PublicKey { get; set; }
    public long EnrolledAt { get; set; }
    public byte[]? Certificate { get; set; }
    public long? CertifiedAt { get; set; }
    public long? ExpiresAt { get; set; }
    public long? RevokedAt { get; set; }
}
