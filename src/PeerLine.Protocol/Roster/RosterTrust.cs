using NSec.Cryptography;

namespace PeerLine.Protocol.Roster;

public enum CertificateVerdict { Trusted, BadSignature, NotYetValid, Expired, Revoked }

/// <summary>
/// What a client trusts: the pinned roster public key, the revoked key ids it knows of, and the time. A client
/// uses a supporter's static key for a handshake only when the verdict is <see cref="CertificateVerdict.Trusted"/>.
/// </summary>
public sealed class RosterTrust(PublicKey rosterPublicKey, TimeProvider time, TimeSpan clockSkew)
{
    /// <summary>How far the device's clock may be off: a certificate counts as valid this much before and after its window.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromMinutes(10);

    private readonly HashSet<string> _revoked = new(StringComparer.Ordinal);

    public RosterTrust(PublicKey rosterPublicKey, TimeProvider time) : this(rosterPublicKey, time, DefaultClockSkew) { }

    public static RosterTrust Pin(ReadOnlySpan<byte> rosterPublicKey, TimeProvider? time = null, TimeSpan? clockSkew = null) =>
        new(PublicKey.Import(SignatureAlgorithm.Ed25519, rosterPublicKey, KeyBlobFormat.RawPublicKey), time ?? TimeProvider.System,
            clockSkew ?? DefaultClockSkew);

    public void Revoke(IEnumerable<byte[]> keyIds)
    {
        foreach (var id in keyIds) _revoked.Add(Convert.ToHexString(id));
    }

    public CertificateVerdict Check(ReadOnlySpan<byte> signedCertificate, out RosterCertificate? certificate)
    {
        certificate = RosterCertificate.Verify(signedCertificate, rosterPublicKey);
        if (certificate is null) return CertificateVerdict.BadSignature;
        var now = time.GetUtcNow();
        if (now + clockSkew < certificate.NotBefore) return CertificateVerdict.NotYetValid;
        if (now - clockSkew >= certificate.NotAfter) return CertificateVerdict.Expired;
        return _revoked.Contains(Convert.ToHexString(certificate.KeyId)) ? CertificateVerdict.Revoked : CertificateVerdict.Trusted;
    }
}
