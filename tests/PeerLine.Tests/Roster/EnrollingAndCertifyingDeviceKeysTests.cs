using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NSec.Cryptography;
using PeerLine.Protocol.Roster;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Roster;
using PeerLine.Server.Staff;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Roster;

public sealed class EnrollingAndCertifyingDeviceKeysTests() : AppScenario
{
    private readonly Key _device = Key.Create(KeyAgreementAlgorithm.X25519);

    public override async Task DisposeAsync()
    {
        _device.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public void RosterKey_CreatedAtFirstStart_OwnerReadWriteOnly()
    {
        App.Start();
        var file = Path.Combine(App.DataDirectory, "roster.key");

        Assert.True(File.Exists(file));
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task Enroll_AwaitsCertification_ThenCertifiedKeyVerifiesAgainstTheRosterKey()
    {
        await App.CreateStaffAsync("hal");
        using var http = await App.SignedInHttpAsync("hal");
        var publicKey = _device.PublicKey.Export(KeyBlobFormat.RawPublicKey);

        var enrolled = await (await http.PostAsJsonAsync("/api/staff/device-key", new { publicKey = Convert.ToBase64String(publicKey) }))
            .Content.ReadFromJsonAsync<Answer>();
        Assert.Equal("awaiting-certification", enrolled!.Status);

        Assert.Equal(1, await App.Services.GetRequiredService<StaffAccounts>().CertifyAsync("hal"));

        var status = await http.GetFromJsonAsync<Answer>($"/api/staff/device-key/{Url(publicKey)}");
        Assert.Equal("certified", status!.Status);
        var roster = await http.GetFromJsonAsync<RosterBody>("/api/roster");
        var trust = RosterTrust.Pin(Convert.FromBase64String(roster!.PublicKey));
        Assert.Equal(CertificateVerdict.Trusted, trust.Check(Convert.FromBase64String(status.Certificate!), out var cert));
        Assert.Equal(publicKey, cert!.StaticKey);
        Assert.Equal("hal", cert.Handle);
    }

    [Fact]
    public async Task Caller_GetsTheClaimingSupportersCertificate_UntilTheSupporterIsDisabled()
    {
        await using var supporter = await App.SupporterOnShiftAsync("ivy");
        using (var http = await App.SignedInHttpAsync("ivy"))
            await http.PostAsJsonAsync("/api/staff/device-key", new { publicKey = DevicePublicKey() });
        await App.Services.GetRequiredService<StaffAccounts>().CertifyAsync("ivy");
        await using var caller = App.RawConnection(HubRoutes.Caller);
        await caller.StartAsync().Within();
        var ticket = await caller.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Burnout, Priorities.Soon,
            await caller.SolvedPuzzleAsync()).Within();

        var early = await Assert.ThrowsAsync<HubException>(() => caller.InvokeAsync<byte[]>(nameof(ICallerHub.SupporterCertificate),
            ticket.SessionId).Within());
        Assert.EndsWith(ErrorCodes.WrongState, early.Message);

        await supporter.ClaimNextAsync().Within();
        var certificate = await caller.InvokeAsync<byte[]>(nameof(ICallerHub.SupporterCertificate), ticket.SessionId).Within();
        Assert.Equal(_device.PublicKey.Export(KeyBlobFormat.RawPublicKey), certificate.AsSpan(21, 32).ToArray());

        await App.Services.GetRequiredService<StaffAccounts>().DisableAsync("ivy");
        var refused = await Assert.ThrowsAsync<HubException>(() => caller.InvokeAsync<byte[]>(nameof(ICallerHub.SupporterCertificate),
            ticket.SessionId).Within());
        Assert.EndsWith(ErrorCodes.NotFound, refused.Message);
        using var anonymous = App.Http();
        var roster = await anonymous.GetFromJsonAsync<RosterBody>("/api/roster");
        Assert.Contains(Convert.ToHexString(certificate.AsSpan(5, 16)).ToLowerInvariant(), roster!.RevokedKeyIds);
    }

    [Fact]
    public async Task Enroll_KeyOfAnotherLogin_ConflictNotServerError()
    {
        await App.CreateStaffAsync("pia");
        await App.CreateStaffAsync("rex");
        var body = new { publicKey = DevicePublicKey() };
        using (var pia = await App.SignedInHttpAsync("pia")) await pia.PostAsJsonAsync("/api/staff/device-key", body);

        using var rex = await App.SignedInHttpAsync("rex");
        Assert.Equal(HttpStatusCode.Conflict, (await rex.PostAsJsonAsync("/api/staff/device-key", body)).StatusCode);
    }

    [Fact]
    public async Task Certify_Again_RenewsOnlyCertificatesPastHalfTheirValidity()
    {
        await App.CreateStaffAsync("sol");
        using (var http = await App.SignedInHttpAsync("sol"))
            await http.PostAsJsonAsync("/api/staff/device-key", new { publicKey = DevicePublicKey() });
        var userId = (await App.DbAsync(db => db.DeviceKeys.SingleAsync())).StaffUserId;
        // The service on its own clock (a fake clock for the whole host would fire its timers for every skipped period).
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var keys = ActivatorUtilities.CreateInstance<DeviceKeyService>(App.Services, time);

        Assert.Equal(1, await keys.CertifyAsync(userId, "sol", CancellationToken.None));
        Assert.Equal(0, await keys.CertifyAsync(userId, "sol", CancellationToken.None));   // still fresh
        time.Advance(TimeSpan.FromDays(16));                                                // past half of the default 30 days
        Assert.Equal(1, await keys.CertifyAsync(userId, "sol", CancellationToken.None));
    }

    [Fact]
    public async Task Enroll_Anonymous_Refused()
    {
        using var http = App.Http();
        var response = await http.PostAsJsonAsync("/api/staff/device-key", new { publicKey = Convert.ToBase64String(new byte[32]) });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string Url(byte[] key) => Base64Url.EncodeToString(key);

    private string DevicePublicKey() => Convert.ToBase64String(_device.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    private sealed record Answer(string KeyId, string Status, string? Certificate);
    private sealed record RosterBody(string PublicKey, List<string> RevokedKeyIds);
}
