using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using PeerLine.Protocol.Wire;

namespace PeerLine.Bench;

/// <summary>What the attack benchmarks share: a server with staff, bare hub connections, refusal tallies.</summary>
internal static class AttackBench
{
    public const string Password = "benchmark passphrase";

    /// <summary>The server checkpoints its write-ahead log this often, so the database size can be read settled.</summary>
    public const int CheckpointSeconds = 5;

    public static Task<ServerProcess> StartServerAsync() => ServerProcess.StartAsync(new Dictionary<string, string>
    {
        ["StaffAuth:LoginsPerMinute"] = "10000",
        ["Storage:CheckpointSeconds"] = CheckpointSeconds.ToString(),
    });

    /// <summary>The data directory's size once the write-ahead log has been checkpointed (and truncated) after the last write.</summary>
    public static async Task<long> SettledDataBytesAsync(ServerProcess server)
    {
        await Task.Delay(TimeSpan.FromSeconds(2 * CheckpointSeconds + 1));
        return server.DataBytes();
    }

    /// <summary>A bare caller-hub connection that comes, through the trusted loopback proxy, from <paramref name="source"/>.</summary>
    public static HubConnection CallerConnection(Uri server, string? source) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(server, HubRoutes.Caller), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                if (source is not null) o.Headers["X-Forwarded-For"] = source;
            })
            .Build();

    /// <summary>A started staff-hub connection signed in as <paramref name="login"/>, with a bearer token.</summary>
    public static async Task<HubConnection> StaffConnectionAsync(Uri server, string login, Action<HubConnection> handlers)
    {
        using var http = new HttpClient { BaseAddress = server };
        var response = await http.PostAsJsonAsync("/api/staff/token", new StaffLogin(login, Password));
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenBody>())!.AccessToken;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, HubRoutes.Staff), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        handlers(connection);
        await connection.StartAsync();
        return connection;
    }

    /// <summary>The PeerLine code of a refused call (the last token of the hub error).</summary>
    public static string CodeOf(HubException e) => e.Message.Split(' ')[^1];

    public static void Tally(ConcurrentDictionary<string, long> tally, string code) => tally.AddOrUpdate(code, 1, (_, n) => n + 1);

    private sealed record TokenBody(string AccessToken);
}
