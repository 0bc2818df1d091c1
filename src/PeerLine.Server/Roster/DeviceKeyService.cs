using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Roster;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Hosting;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Roster;

/// <summary>Enrolment, certification and revocation of supporters' device keys.</summary>
public sealed class DeviceKeyService(IDbContextFactory<PeerLineDb> dbs, IRosterAuthority roster, TimeProvider time, IOptions<RosterOptions> options)
{
    public sealed record DeviceKeyStatus(string KeyId, string Status, byte[]? Certificate);

    public static string KeyIdOf(ReadOnlySpan<byte> publicKey) => Convert.ToHexString(RosterCertificate.KeyIdFor(publicKey)).ToLowerInvariant();

    /// <summary>A device uploads its public key; it waits for an admin to certify it.</summary>
    public async Task<DeviceKeyStatus> EnrollAsync(string staffUserId, byte[]? publicKey, CancellationToken ct)
    {
        if (publicKey is not { Length: 32 }) throw new PeerLineException(ErrorCodes.InvalidArgument);
        var id = KeyIdOf(publicKey);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var existing = await db.DeviceKeys.SingleOrDefaultAsync(k => k.Id == id, ct);
        if (existing is not null)
        {
            if (existing.StaffUserId != staffUserId) throw new PeerLineException(ErrorCodes.NotAllowed);
            return Status(existing);
        }
        var key = new DeviceKey { Id = id, StaffUserId = staffUserId, PublicKey = publicKey, EnrolledAt = time.NowMs() };
        db.DeviceKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return Status(key);
    }

    public async Task<DeviceKeyStatus?> StatusAsync(string staffUserId, byte[]? publicKey, CancellationToken ct)
    {
        if (publicKey is not { Length: 32 }) throw new PeerLineException(ErrorCodes.InvalidArgument);
        var id = KeyIdOf(publicKey);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var key = await db.DeviceKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id && k.StaffUserId == staffUserId, ct);
        return key is null ? null : Status(key);
    }

    /// <summary>The device keys of a staff member still waiting for a certificate (for offline signing).</summary>
    public async Task<List<(string KeyId, byte[] PublicKey)>> PendingAsync(string staffUserId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var pending = await db.DeviceKeys.AsNoTracking()
            .Where(k => k.StaffUserId == staffUserId && k.Certificate == null && k.RevokedAt == null)
            .Select(k => new { k.Id, k.PublicKey }).ToListAsync(ct);
        return pending.Select(p => (p.Id, p.PublicKey)).ToList();
    }

    /// <summary>
    /// Offline mode: stores a certificate signed elsewhere, after checking it against the roster public key and
    /// that it names one of this staff member's enrolled, unrevoked keys. Returns a refusal reason, or null.
    /// </summary>
    public async Task<string?> InstallAsync(string staffUserId, byte[] signedBytes, CancellationToken ct)
    {
        var trust = RosterTrust.Pin(roster.PublicKey, time);
        if (trust.Check(signedBytes, out var certificate) != CertificateVerdict.Trusted)
            return "the certificate does not verify against the roster key, or is not valid now";
        var id = certificate!.KeyIdHex;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var key = await db.DeviceKeys.SingleOrDefaultAsync(k => k.Id == id && k.StaffUserId == staffUserId && k.RevokedAt == null, ct);
        if (key is null || !key.PublicKey.AsSpan().SequenceEqual(certificate.StaticKey)) return "no such enrolled key for this login";
        key.Certificate = signedBytes;
        key.CertifiedAt = time.NowMs();
        key.ExpiresAt = certificate.NotAfter.ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>
    /// Certifies every unrevoked key of a staff member that has no certificate or one past half its validity
    /// (so running it again renews before expiry); returns how many.
    /// </summary>
    public async Task<int> CertifyAsync(string staffUserId, string handle, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var renewFrom = now.AddDays(options.Value.CertificateDays / 2.0).ToUnixTimeMilliseconds();
        var pending = await db.DeviceKeys
            .Where(k => k.StaffUserId == staffUserId && k.RevokedAt == null && (k.Certificate == null || k.ExpiresAt < renewFrom))
            .ToListAsync(ct);
        foreach (var key in pending)
        {
            var notAfter = now.AddDays(options.Value.CertificateDays);
            key.Certificate = roster.Sign(new RosterCertificate(Convert.FromHexString(key.Id), key.PublicKey, now.AddMinutes(-5), notAfter, handle))
                ?? throw new InvalidOperationException("The roster key is offline: sign with `peerline roster sign`.");
            key.CertifiedAt = now.ToUnixTimeMilliseconds();
            key.ExpiresAt = notAfter.ToUnixTimeMilliseconds();
        }
        await db.SaveChangesAsync(ct);
        return pending.Count;
    }

    /// <summary>Revokes every key of a staff member (on disable, or a lost device): new handshakes with them fail.</summary>
    public async Task<int> RevokeAllAsync(string staffUserId, CancellationToken ct)
    {
        var now = time.NowMs();
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.DeviceKeys.Where(k => k.StaffUserId == staffUserId && k.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.RevokedAt, now), ct);
    }

    /// <summary>The newest valid certificate of a supporter, for a caller about to start a handshake.</summary>
    public async Task<byte[]?> CurrentCertificateAsync(string staffUserId, CancellationToken ct)
    {
        var now = time.NowMs();
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.DeviceKeys.AsNoTracking()
            .Where(k => k.StaffUserId == staffUserId && k.Certificate != null && k.RevokedAt == null && k.ExpiresAt > now)
            .OrderByDescending(k => k.CertifiedAt)
            .Select(k => k.Certificate).FirstOrDefaultAsync(ct);
    }

    public async Task<List<string>> RevokedKeyIdsAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.DeviceKeys.Where(k => k.RevokedAt != null).OrderBy(k => k.Id).Select(k => k.Id).ToListAsync(ct);
    }

    private static DeviceKeyStatus Status(DeviceKey key) => new(key.Id,
        key.RevokedAt is not null ? DeviceKeyStatuses.Revoked
        : key.Certificate is null ? DeviceKeyStatuses.AwaitingCertification
        : DeviceKeyStatuses.Certified, key.Certificate);
}
