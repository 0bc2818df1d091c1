using NSec.Cryptography;

namespace PeerLine.Protocol.Roster;

public enum CertificateVerdict { Trusted, BadSignature, NotYetValid, Expired, Revoked }

/// <summary>
/// What a client trusts: the pinned roster public key, the revoked key ids it knows of, and the time. A client
/// uses a supporter's static key for a handshake only when the verdict is <see cref="CertificateVerdict.Trusted"/>.
/// </summary>
public sealed class RosterTrust(PublicKey rosterPublicKey, TimeProvider time)
{
    private readonly HashSet<string> _revoked = new(StringComparer.Ordinal);

    public static RosterTrust Pin(ReadOnlySpan<byte> rosterPublicKey, TimeProvider? time = null) =>
        new(PublicKey.Import(SignatureAlgorithm.Ed25519, rosterPublicKey, KeyBlobFormat.RawPublicKey), time ?? TimeProvider.System);

    public void Revoke(IEnumerable<byte[]> keyIds)
    {
        foreach (var id in keyIds) _revoked.Add(Convert.ToHexString(id));
    }

    public CertificateVerdict Check(ReadOnlySpan<byte> signedCertificate, out RosterCertificate? certificate)
    {
        certificate = RosterCertificate.Verify(signedCertificate, rosterPublicKey);
        if (certificate is null) return CertificateVerdict.BadSignature;
        var now = time.GetUtcNow();
        if (now < certificate.NotBefore) return CertificateVerdict.NotYetValid;
        if (now >= certificate.NotAfter) return CertificateVerdict.Expired;
        return _revoked.Contains(Convert.ToHexString(certificate.KeyId)) ? CertificateVerdict.Revoked : CertificateVerdict.Trusted;
    }
}
