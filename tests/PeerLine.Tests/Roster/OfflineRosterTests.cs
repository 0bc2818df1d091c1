using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;
using PeerLine.Client.E2E;
using PeerLine.Protocol.Roster;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Staff;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Roster;

/// <summary>The roster key never touches the server: `peerline roster init/sign` offline, the server holds the public key.</summary>
public sealed class OfflineRosterTests : IAsyncLifetime
{
    private readonly string _offline = Path.Combine(Path.GetTempPath(), "peerline-tests", Guid.NewGuid().ToString("N"));
    private readonly Key _device = Key.Create(KeyAgreementAlgorithm.X25519);
    private PeerLineApp _app = null!;
    private string _rosterPublicKey = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_offline);
        var init = await Cli("roster", "init", "--out", KeyFile);
        Assert.Equal(0, init.Exit);
        _rosterPublicKey = init.Out.Trim();
        _app = new PeerLineApp(new() { ["Roster:Mode"] = "Offline", ["Roster:PublicKey"] = _rosterPublicKey }, kestrel: true);
        _app.Start();
    }

    public async Task DisposeAsync()
    {
        _device.Dispose();
        await _app.DisposeAsync();
        Directory.Delete(_offline, recursive: true);
    }

    private string KeyFile => Path.Combine(_offline, "roster.key");

    [Fact]
    public async Task Init_KeyFileOwnerOnly_NeverOverwritten_ServerHoldsNoSigningKey()
    {
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        Assert.Equal(1, (await Cli("roster", "init", "--out", KeyFile)).Exit);
        Assert.False(File.Exists(Path.Combine(_app.DataDirectory, "roster.key")));
    }

    [Fact]
    public async Task SignOffline_InstallOnServer_CallerCompletesTheHandshake()
    {
        await _app.CreateStaffAsync("mo");
        await using var supporter = new SupporterClient(_app.RelayOptions(), "mo", PeerLineApp.Password, _device);
        Assert.Equal("awaiting-certification", (await supporter.EnrollAsync().Within()).Status);
        var accounts = _app.Services.GetRequiredService<StaffAccounts>();
        var pending = Assert.Single((await accounts.PendingKeysAsync("mo"))!);

        var signed = await Cli("roster", "sign", "--key", KeyFile, "--public-key", Convert.ToBase64String(pending.PublicKey), "--handle", "mo");
        Assert.Equal(0, signed.Exit);
        Assert.Null(await accounts.InstallCertificateAsync("mo", Convert.FromBase64String(signed.Out.Trim())));

        await supporter.ConnectAsync().Within();
        await supporter.StartShiftAsync().Within();
        await using var caller = new CallerClient(_app.RelayOptions(), RosterTrust.Pin(Convert.FromBase64String(_rosterPublicKey)));
        await caller.RequestSupportAsync(Topics.Other, Priorities.Routine).Within();
        var session = (await supporter.ClaimNextAsync().Within()).SessionId;
        Assert.Equal(await supporter.EstablishedAsync(session).Within(), await caller.Established.Within());
    }

    [Fact]
    public async Task CertificateFromAnotherRosterKey_NotInstalled()
    {
        await _app.CreateStaffAsync("ned");
        await using var supporter = new SupporterClient(_app.RelayOptions(), "ned", PeerLineApp.Password, _device);
        await supporter.EnrollAsync().Within();
        var otherKey = Path.Combine(_offline, "other.key");
        await Cli("roster", "init", "--out", otherKey);

        var devicePublicKey = Convert.ToBase64String(supporter.DevicePublicKey);
        var signed = await Cli("roster", "sign", "--key", otherKey, "--public-key", devicePublicKey, "--handle", "ned");

        var accounts = _app.Services.GetRequiredService<StaffAccounts>();
        Assert.NotNull(await accounts.InstallCertificateAsync("ned", Convert.FromBase64String(signed.Out.Trim())));
    }

    private static async Task<(int Exit, string Out, string Err)> Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await PeerLine.Cli.Cli.RunAsync(args, new StringReader(""), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
