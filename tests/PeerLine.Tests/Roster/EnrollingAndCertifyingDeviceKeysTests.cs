using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;
using PeerLine.Protocol.Roster;
using PeerLine.Protocol.Wire;
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
            await http.PostAsJsonAsync("/api/staff/device-key", new { publicKey = Convert.ToBase64String(_device.PublicKey.Export(KeyBlobFormat.RawPublicKey)) });
        await App.Services.GetRequiredService<StaffAccounts>().CertifyAsync("ivy");
        await using var caller = App.RawConnection(HubRoutes.Caller);
        await caller.StartAsync().Within();
        var ticket = await caller.InvokeAsync<SessionTicket>(CallerMethods.RequestSupport, Topics.Burnout, Priorities.Soon).Within();

        var early = await Assert.ThrowsAsync<HubException>(() => caller.InvokeAsync<byte[]>(CallerMethods.SupporterCertificate, ticket.SessionId).Within());
        Assert.EndsWith(ErrorCodes.WrongState, early.Message);

        await supporter.ClaimNextAsync().Within();
        var certificate = await caller.InvokeAsync<byte[]>(CallerMethods.SupporterCertificate, ticket.SessionId).Within();
        Assert.Equal(_device.PublicKey.Export(KeyBlobFormat.RawPublicKey), certificate.AsSpan(21, 32).ToArray());

        await App.Services.GetRequiredService<StaffAccounts>().DisableAsync("ivy");
        var refused = await Assert.ThrowsAsync<HubException>(() => caller.InvokeAsync<byte[]>(CallerMethods.SupporterCertificate, ticket.SessionId).Within());
        Assert.EndsWith(ErrorCodes.NotFound, refused.Message);
        using var anonymous = App.Http();
        var roster = await anonymous.GetFromJsonAsync<RosterBody>("/api/roster");
        Assert.Contains(Convert.ToHexString(certificate.AsSpan(5, 16)).ToLowerInvariant(), roster!.RevokedKeyIds);
    }

    [Fact]
    public async Task Enroll_Anonymous_Refused()
    {
        using var http = App.Http();
        var response = await http.PostAsJsonAsync("/api/staff/device-key", new { publicKey = Convert.ToBase64String(new byte[32]) });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string Url(byte[] key) => System.Buffers.Text.Base64Url.EncodeToString(key);

    private sealed record Answer(string KeyId, string Status, string? Certificate);
    private sealed record RosterBody(string PublicKey, List<string> RevokedKeyIds);
}
