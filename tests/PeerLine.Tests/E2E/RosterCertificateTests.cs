using Microsoft.Extensions.Time.Testing;
using NSec.Cryptography;
using PeerLine.Protocol.Roster;

namespace PeerLine.Tests.E2E;

public sealed class RosterCertificateTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-25T12:00:00Z");
    private readonly Key _roster = Key.Create(SignatureAlgorithm.Ed25519);
    private readonly Key _device = Key.Create(KeyAgreementAlgorithm.X25519);
    private readonly FakeTimeProvider _time = new(Now);

    public void Dispose()
    {
        _roster.Dispose();
        _device.Dispose();
    }

    [Fact]
    public void Signed_VerifiesAndRoundTrips()
    {
        var cert = Certificate();
        var verdict = Trust().Check(cert.Sign(_roster), out var parsed);

        Assert.Equal(CertificateVerdict.Trusted, verdict);
        Assert.Equal(cert.StaticKey, parsed!.StaticKey);
        Assert.Equal(cert.KeyId, parsed.KeyId);
        Assert.Equal("sam", parsed.Handle);
        Assert.Equal(cert.NotAfter, parsed.NotAfter);
    }

    [Fact]
    public void SignedByAnotherKey_BadSignature()
    {
        using var impostor = Key.Create(SignatureAlgorithm.Ed25519);
        Assert.Equal(CertificateVerdict.BadSignature, Trust().Check(Certificate().Sign(impostor), out _));
    }

    [Fact]
    public void AlteredStaticKey_BadSignature()
    {
        var signed = Certificate().Sign(_roster);
        signed[30] ^= 0x01;
        Assert.Equal(CertificateVerdict.BadSignature, Trust().Check(signed, out _));
    }

    [Fact]
    public void PastNotAfter_Expired()
    {
        var signed = Certificate().Sign(_roster);
        _time.Advance(TimeSpan.FromDays(31));
        Assert.Equal(CertificateVerdict.Expired, Trust().Check(signed, out _));
    }

    [Fact]
    public void BeforeNotBefore_NotYetValid()
    {
        var cert = Certificate() with { NotBefore = Now.AddHours(1) };
        Assert.Equal(CertificateVerdict.NotYetValid, Trust().Check(cert.Sign(_roster), out _));
    }

    [Fact]
    public void KeyIdOfAnotherKey_BadSignature()
    {
        var cert = Certificate() with { KeyId = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray() };
        Assert.Equal(CertificateVerdict.BadSignature, Trust().Check(cert.Sign(_roster), out _));
    }

    [Theory]
    [InlineData(9, CertificateVerdict.Trusted)]
    [InlineData(11, CertificateVerdict.NotYetValid)]
    public void DeviceClockBehind_ToleratedUpToTheSkew(int minutesAhead, CertificateVerdict expected)
    {
        var cert = Certificate() with { NotBefore = Now.AddMinutes(minutesAhead) };
        Assert.Equal(expected, Trust().Check(cert.Sign(_roster), out _));
    }

    [Theory]
    [InlineData(9, CertificateVerdict.Trusted)]
    [InlineData(10, CertificateVerdict.Expired)]
    public void DeviceClockAhead_ToleratedUpToTheSkew(int minutesPast, CertificateVerdict expected)
    {
        var cert = Certificate() with { NotAfter = Now.AddMinutes(-minutesPast) };
        Assert.Equal(expected, Trust().Check(cert.Sign(_roster), out _));
    }

    [Fact]
    public void RevokedKeyId_Revoked()
    {
        var cert = Certificate();
        var trust = Trust();
        trust.Revoke([cert.KeyId]);
        Assert.Equal(CertificateVerdict.Revoked, trust.Check(cert.Sign(_roster), out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(69)]
    [InlineData(200)]
    public void Truncated_BadSignature(int length)
    {
        var signed = Certificate().Sign(_roster);
        Assert.Equal(CertificateVerdict.BadSignature, Trust().Check(signed.AsSpan(0, Math.Min(length, signed.Length - 1)), out _));
    }

    private RosterTrust Trust() => RosterTrust.Pin(_roster.PublicKey.Export(KeyBlobFormat.RawPublicKey), _time);

    private RosterCertificate Certificate()
    {
        var staticKey = _device.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        return new(RosterCertificate.KeyIdFor(staticKey), staticKey, Now.AddMinutes(-5), Now.AddDays(30), "sam");
    }
}
