using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using PeerLine.Client.Relay;
using PeerLine.Protocol.Wire;
using PeerLine.Tests.Audit;
using PeerLine.Tests.Infrastructure;
using static PeerLine.Tests.Relay.HavingAConversationTests;

namespace PeerLine.Tests.Privacy;

/// <summary>
/// A whole scripted session over real sockets with a distinct canary in every field and header a client can
/// send. Afterwards no canary may appear in any captured log line or in the SQLite files (main, -wal, -shm).
/// </summary>
public sealed class CanariesNeverStoredOrLoggedTests
{
    private static readonly Dictionary<string, string> Headers = new()
    {
        ["User-Agent"] = "CanaryBrowser/ua-6b1f0c",
        ["Referer"] = "https://referer-canary-93d1.example/page",
        ["X-Forwarded-For"] = "203.0.113.177",
        ["X-Real-IP"] = "198.51.100.233",
        ["Cookie"] = "tracking=cookie-canary-0e4d",
        ["X-Canary"] = "header-canary-58aa",
    };
    private const string QueryCanary = "query-canary-c21f";
    private const string SupporterPassword = "password-canary-7c3e9f0a";
    private const string WrongLogin = "login-canary-4a7b";
    private const string WrongPassword = "password-canary-f00d1e";
    private const string MessageCanary = "message-canary-dd41";

    [Fact]
    public async Task FullSession_CanariesInEveryFieldAndHeader_NoneInLogsOrDatabaseFiles()
    {
        await using var app = new PeerLineApp(kestrel: true);
        app.Start();
        await app.CreateStaffAsync("vic", password: SupporterPassword);
        var canaries = new List<string>(Headers.Values) { QueryCanary, SupporterPassword, WrongLogin, WrongPassword, MessageCanary };

        // Staff sign-in attempts with canary credentials, and canary headers on every REST call.
        using var http = app.Http();
        foreach (var (k, v) in Headers) http.DefaultRequestHeaders.TryAddWithoutValidation(k, v);
        var tokenRefused = await http.PostAsJsonAsync($"/api/staff/token?{QueryCanary}=1", new StaffLogin(WrongLogin, WrongPassword));
        Assert.False(tokenRefused.IsSuccessStatusCode);
        Assert.False((await http.PostAsJsonAsync("/api/staff/login", new StaffLogin("vic", WrongPassword))).IsSuccessStatusCode);
        var token = (await (await http.PostAsJsonAsync("/api/staff/token", new StaffLogin("vic", SupporterPassword)))
            .Content.ReadFromJsonAsync<TokenBody>())!.AccessToken;
        canaries.Add(token);
        Assert.True((await http.GetAsync($"/healthz?{QueryCanary}=2")).IsSuccessStatusCode);

        // The supporter connects the way a browser must: the token in the query string, plus canary headers.
        await using var staff = app.RawConnection($"{HubRoutes.Staff}?access_token={Uri.EscapeDataString(token)}&q={QueryCanary}", WithHeaders);
        var atSupporter = new List<RelayEnvelope>();
        staff.On<RelayEnvelope>(nameof(IStaffClient.MessageReceived), m => { lock (atSupporter) atSupporter.Add(m); });
        await staff.StartAsync().Within();
        await staff.InvokeAsync<ShiftStatus>(nameof(IStaffHub.StartShift), null).Within();

        // The caller, with canaries in every argument the hub takes.
        await using var caller = app.RawConnection($"{HubRoutes.Caller}?{QueryCanary}=3", WithHeaders);
        var atCaller = new List<RelayEnvelope>();
        caller.On<RelayEnvelope>(nameof(ICallerClient.MessageReceived), m => { lock (atCaller) atCaller.Add(m); });
        await caller.StartAsync().Within();
        var proof = await caller.SolvedPuzzleAsync();
        await Refused(() => caller.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), "topic-canary-19ab", Priorities.Crisis, proof));
        proof = await caller.SolvedPuzzleAsync();
        await Refused(() => caller.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Burnout, "priority-canary-77c0", proof));
        await Refused(() => caller.InvokeAsync<SessionView>(nameof(ICallerHub.Resume), "sessionid-canary-3e2d", "secret-canary-8f8f"));
        canaries.AddRange(["topic-canary-19ab", "priority-canary-77c0", "sessionid-canary-3e2d", "secret-canary-8f8f"]);
        var ticket = await caller.InvokeAsync<SessionTicket>(nameof(ICallerHub.RequestSupport), Topics.Burnout, Priorities.Soon,
            await caller.SolvedPuzzleAsync()).Within();
        canaries.Add(ticket.CallerSecret);

        var view = await staff.InvokeAsync<SessionView>(nameof(IStaffHub.ClaimNext)).Within();
        for (var i = 1; i <= 3; i++)
        {
            await caller.InvokeAsync(nameof(ICallerHub.SendCiphertext), ticket.SessionId, Guid.NewGuid(), (long)i,
                Bytes($"{MessageCanary}-c{i}")).Within();
            await staff.InvokeAsync(nameof(IStaffHub.SendCiphertext), view.SessionId, Guid.NewGuid(), (long)i,
                Bytes($"{MessageCanary}-s{i}")).Within();
        }
        await Waits.UntilAsync(() => { lock (atSupporter) lock (atCaller) return atSupporter.Count == 3 && atCaller.Count == 3; });
        await caller.InvokeAsync(nameof(ICallerHub.Acknowledge), ticket.SessionId, 3L).Within();
        await staff.InvokeAsync(nameof(IStaffHub.Acknowledge), view.SessionId, 3L).Within();

        await Refused(() => staff.InvokeAsync(nameof(IStaffHub.Transfer), view.SessionId, "transfer-canary-b0b0"));
        await Refused(() => staff.InvokeAsync(nameof(IStaffHub.CloseSession), view.SessionId, "disposition-canary-a1a1"));
        canaries.AddRange(["transfer-canary-b0b0", "disposition-canary-a1a1"]);
        await staff.InvokeAsync(nameof(IStaffHub.CloseSession), view.SessionId, Dispositions.Supported).Within();

        await caller.StopAsync();
        await staff.StopAsync();
        await app.CheckpointStorageAsync();

        var logs = app.Logs.All;
        Assert.Contains(app.Logs.Lines, l => l.Contains("\"Code\":\"invalid-argument\""));   // refusals were logged, by code
        string[] revealingWords = ["/hubs/", "/api/", "RequestPath", "RequestId", "ConnectionId", "RemoteIp", "UserAgent", "Referer", "access_token"];
        foreach (var revealing in revealingWords)
            Assert.False(logs.Contains(revealing, StringComparison.OrdinalIgnoreCase), $"log mentions {revealing}");
        foreach (var canary in canaries)
        {
            Assert.False(logs.Contains(canary, StringComparison.OrdinalIgnoreCase), $"log holds canary {canary}");
            foreach (var (name, bytes) in app.DatabaseFiles())
            {
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(canary)), $"{name} holds canary {canary}");
                Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(canary)), $"{name} holds canary {canary} (UTF-16)");
            }
        }
        // The scan is real: what the server may keep is in the files.
        Assert.Contains(app.DatabaseFiles(), f => Contains(f.Bytes, Encoding.UTF8.GetBytes("vic")));
    }

    [Fact]
    public async Task CanaryAddresses_ThroughTheTrustedProxyHeader_NowhereInLogsDatabaseFilesOrAuditExport()
    {
        string[] addresses = ["203.0.113.77", "2001:db8:77:1::1234"];
        await using var app = new PeerLineApp(new() { ["Abuse:WaitingPerSource"] = "1" }, kestrel: true);
        app.Start();
        await app.CreateStaffAsync("vic", password: SupporterPassword);
        await using var supporter = new SupporterRelayClient(app.RelayOptions(), "vic", SupporterPassword);
        await supporter.ConnectAsync().Within();
        await supporter.StartShiftAsync().Within();

        foreach (var address in addresses)
        {
            // Sign-in and a refused foreign-origin POST from the address (the loopback proxy says so).
            using var http = app.Http();
            http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
            Assert.True((await http.PostAsJsonAsync("/api/staff/token", new StaffLogin("vic", SupporterPassword))).IsSuccessStatusCode);
            using var foreign = new HttpRequestMessage(HttpMethod.Post, "/api/staff/logout") { Headers = { { "Origin", "https://evil.example" } } };
            Assert.False((await http.SendAsync(foreign)).IsSuccessStatusCode);

            // A request from the address, a second one refused (source-limit), and a conversation that is claimed and ends.
            await using var caller = new CallerRelayClient(app.RelayOptions(o => o.Headers["X-Forwarded-For"] = address));
            await caller.RequestSupportAsync(Topics.Burnout, Priorities.Crisis).Within();
            await using (var again = new CallerRelayClient(app.RelayOptions(o => o.Headers["X-Forwarded-For"] = address)))
            {
                var refused = await Assert.ThrowsAsync<RelayException>(() => again.RequestSupportAsync(Topics.Burnout, Priorities.Routine).Within());
                Assert.Equal(ErrorCodes.SourceLimit, refused.Message);
            }
            var claimed = await supporter.ClaimNextAsync().Within();
            await supporter.CloseAsync(claimed.SessionId, Dispositions.Supported).Within();
        }
        await app.CheckpointStorageAsync();

        var logs = app.Logs.All;
        var exportLines = await app.ExportLinesAsync();
        var export = string.Join("\n", exportLines);
        Assert.Contains(ErrorCodes.SourceLimit, logs); // the refusals were logged, by code
        Assert.True(exportLines.Count > 4, "the export holds the sessions' events");
        foreach (var address in addresses)
        {
            var forms = new List<byte[]> { Encoding.UTF8.GetBytes(address), Encoding.Unicode.GetBytes(address) };
            if (address.Contains(':')) forms.Add(System.Net.IPAddress.Parse(address).GetAddressBytes());
            Assert.False(logs.Contains(address, StringComparison.OrdinalIgnoreCase), $"log holds {address}");
            Assert.False(export.Contains(address, StringComparison.OrdinalIgnoreCase), $"audit export holds {address}");
            foreach (var (name, bytes) in app.DatabaseFiles())
                foreach (var form in forms)
                    Assert.False(Contains(bytes, form), $"{name} holds {address}");
        }
    }

    private static void WithHeaders(HttpConnectionOptions o)
    {
        foreach (var (k, v) in Headers) o.Headers[k] = v;
    }

    private static async Task Refused(Func<Task> call) => await Assert.ThrowsAsync<HubException>(() => call().Within());

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private sealed record TokenBody(string AccessToken);
}
