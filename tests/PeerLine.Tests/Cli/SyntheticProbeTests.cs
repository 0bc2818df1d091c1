using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeerLine.Server.Staff;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Cli;

/// <summary><c>peerline probe</c> against the real server on a socket, exactly as an operator's cron would run it.</summary>
public sealed class SyntheticProbeTests() : AppScenario(new PeerLineApp(kestrel: true))
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "peerline-tests", Guid.NewGuid().ToString("N"));

    public override async Task DisposeAsync()
    {
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { }
        await base.DisposeAsync();
    }

    [Fact]
    public async Task FirstRun_Enrolls_Exit3_ThenOnceCertified_Exit0WithEverythingRoundTripped()
    {
        App.Start();
        await App.CreateStaffAsync("probe");

        var first = await ProbeAsync("--message", "probe canary 5c1d");
        Assert.True(first.Exit == 3, first.Out + first.Err);
        Assert.Contains("awaits certification", first.Err);
        Assert.Equal(3, (await ProbeAsync()).Exit);

        Assert.Equal(1, await App.Services.GetRequiredService<StaffAccounts>().CertifyAsync("probe"));
        var run = await ProbeAsync("--message", "probe canary 5c1d");

        Assert.Equal(0, run.Exit);
        var report = JsonDocument.Parse(run.Out.Trim()).RootElement;
        Assert.True(report.GetProperty("ok").GetBoolean());
        Assert.Equal("probe canary 5c1d", report.GetProperty("received").GetString());
        Assert.Equal("0.1.0", report.GetProperty("serverVersion").GetString());
        foreach (var step in new[] { "request", "claim", "handshake", "callerToSupporter", "supporterToCaller", "close" })
            Assert.True(report.GetProperty("timingsMs").TryGetProperty(step, out _), step);
        Assert.Equal(0, await App.DbAsync(db => db.Messages.CountAsync()));
        Assert.DoesNotContain("probe canary 5c1d", App.Logs.All);
    }

    [Fact]
    public async Task WrongPassword_Exit1_OkFalse()
    {
        App.Start();
        await App.CreateStaffAsync("probe2");

        var run = await ProbeAsAsync("not the password\n", "probe2");

        Assert.Equal(1, run.Exit);
        Assert.False(JsonDocument.Parse(run.Out.Trim()).RootElement.GetProperty("ok").GetBoolean());
    }

    [Theory]
    [InlineData("probe")]
    [InlineData("probe", "--server", "http://127.0.0.1:1")]
    [InlineData("frobnicate")]
    public async Task MissingOptions_Usage_Exit2(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(2, await PeerLine.Cli.Cli.RunAsync(args, new StringReader("pw\n"), stdout, stderr));
        Assert.Contains("usage:", stderr.ToString());
    }

    private Task<(int Exit, string Out, string Err)> ProbeAsync(params string[] extra) => ProbeAsAsync(PeerLineApp.Password + "\n", "probe", extra);

    private async Task<(int Exit, string Out, string Err)> ProbeAsAsync(string stdin, string login, params string[] extra)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args = ["probe", "--server", App.BaseAddress.ToString(), "--login", login, "--state", _state, "--timeout", "20", .. extra];
        var exit = await PeerLine.Cli.Cli.RunAsync(args, new StringReader(stdin), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
