using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using NSec.Cryptography;
using PeerLine.Client.E2E;
using PeerLine.Client.Relay;
using PeerLine.Client.State;
using PeerLine.Protocol.Roster;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Queue;
using PeerLine.Server.Staff;
using PeerLine.Server.Storage;
using Serilog.Core;

namespace PeerLine.Tests.Infrastructure;

/// <summary>
/// The one application factory: the real server on a real SQLite file in its own data directory, reached either
/// in memory (TestServer) or over a real Kestrel socket. Intent methods set up staff and connect clients.
/// </summary>
public sealed class PeerLineApp : WebApplicationFactory<Program>
{
    public const string Password = "correct horse battery staple";

    private readonly Dictionary<string, string?> _settings;
    private readonly int? _port;

    public PeerLineApp(Dictionary<string, string?>? settings = null, FakeTimeProvider? time = null, bool kestrel = false,
        string? dataDirectory = null, int? port = null)
    {
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "peerline-tests", Guid.NewGuid().ToString("N"));
        Time = time;
        _settings = new Dictionary<string, string?>(settings ?? [])
        {
            ["data"] = DataDirectory,
            ["Queue:NotifyDebounceMilliseconds"] = "20",
            ["StaffAuth:LoginsPerMinute"] = "10000",
            // Tests read the events they just caused; AuditListingTests checks the default (the hour under way hidden).
            ["Audit:ListOpenPeriod"] = "true",
            // A cheap puzzle (16 PBKDF2 runs, not 256) keeps the many requests of the suite fast; the puzzle tests set the real price.
            ["Puzzle:BaseBits"] = "4",
            // The price stays flat however many requests a scenario makes; the pressure tests set their own.
            ["Puzzle:SurplusPerBit"] = "1000000",
            ["Puzzle:CalmQueueLength"] = "1000000",
            // Every test client is one source (127.0.0.1, or no address in memory): the per-source caps would refuse
            // ordinary scenarios. Tests under Abuse/ set the caps they test.
            ["Abuse:ConnectionsPerSource"] = "1000",
            ["Abuse:WaitingPerSource"] = "1000",
            ["Abuse:RequestsPerSourcePerHour"] = "100000",
        };
        foreach (var (k, v) in settings ?? []) _settings[k] = v;
        if (kestrel)
        {
            _port = port ?? FreePort();
            UseKestrel(_port.Value);
        }
    }

    public string DataDirectory { get; }
    public FakeTimeProvider? Time { get; }
    public LogCapture Logs { get; } = new();

    /// <summary>The server's address when it runs on Kestrel.</summary>
    public Uri BaseAddress => _port is { } p ? new Uri($"http://127.0.0.1:{p}") : Server.BaseAddress;

    public int? Port => _port;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_port is { } port) builder.UseSetting("urls", $"http://127.0.0.1:{port}");
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILogEventSink>(Logs);
            if (Time is not null) services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
        });
    }

    /// <summary>Starts the server now (Kestrel mode needs it before clients connect).</summary>
    public PeerLineApp Start()
    {
        lock (_startLock)
        {
            if (_port is not null) StartServer();
            else _ = Server;
        }
        return this;
    }

    private readonly Lock _startLock = new();

    public RelayClientOptions RelayOptions(Action<HttpConnectionOptions>? extra = null)
    {
        Start();
        if (_port is not null)
            return new RelayClientOptions { Server = BaseAddress, ConfigureConnection = extra, MaxReconnectDelay = TimeSpan.FromMilliseconds(500) };
        var server = Server;
        return new RelayClientOptions
        {
            Server = server.BaseAddress,
            HttpHandlerFactory = server.CreateHandler,
            ConfigureConnection = o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.WebSocketFactory = async (context, ct) =>
                {
                    var client = server.CreateWebSocketClient();
                    var token = o.AccessTokenProvider is { } provider ? await provider() : null;
                    client.ConfigureRequest += r =>
                    {
                        foreach (var header in o.Headers) r.Headers[header.Key] = header.Value;
                        if (token is not null) r.Headers.Authorization = "Bearer " + token;
                    };
                    return await client.ConnectAsync(context.Uri, ct);
                };
                extra?.Invoke(o);
            },
        };
    }

    public async Task CreateStaffAsync(string login, string role = StaffRoles.Supporter, string password = Password)
    {
        Start();
        var errors = await Services.GetRequiredService<StaffAccounts>().AddAsync(login, role, password);
        Assert.Empty(errors);
    }

    public async Task<CallerRelayClient> RequestSupportAsync(string topic = Topics.AdverseEvent, string priority = Priorities.Routine)
    {
        var caller = new CallerRelayClient(RelayOptions());
        await caller.RequestSupportAsync(topic, priority).Within();
        return caller;
    }

    /// <summary>A supporter who is signed in, connected and on shift.</summary>
    public async Task<SupporterRelayClient> SupporterOnShiftAsync(string login, int? capacity = null, bool create = true)
    {
        if (create) await CreateStaffAsync(login);
        var supporter = new SupporterRelayClient(RelayOptions(), login, Password);
        await supporter.ConnectAsync().Within();
        await supporter.StartShiftAsync(capacity).Within();
        return supporter;
    }

    /// <summary>A bare hub connection, for what the typed clients would never send.</summary>
    public HubConnection RawConnection(string hubPath, Action<HttpConnectionOptions>? configure = null)
    {
        var options = RelayOptions(configure);
        return new HubConnectionBuilder()
            .WithUrl(new Uri(options.Server, hubPath), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                options.ConfigureConnection?.Invoke(o);
            })
            .Build();
    }

    /// <summary>A bearer token for a staff login, as the .NET client and the CLI get one.</summary>
    public async Task<string> TokenAsync(string login, string password = Password)
    {
        using var http = Http();
        var response = await http.PostAsJsonAsync("/api/staff/token", new StaffLogin(login, password));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenBody>())!.AccessToken;
    }

    /// <summary>An HTTP client signed in as a staff login with a bearer token.</summary>
    public async Task<HttpClient> SignedInHttpAsync(string login)
    {
        var http = Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(login));
        return http;
    }

    /// <summary>A started bare staff connection for <paramref name="login"/>, signed in with a bearer token.</summary>
    public async Task<HubConnection> StaffConnectionAsync(string login)
    {
        var token = await TokenAsync(login);
        var connection = RawConnection(HubRoutes.Staff, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token));
        await connection.StartAsync().Within();
        return connection;
    }

    private sealed record TokenBody(string AccessToken);

    /// <summary>Certifies every enrolled key of a login, as an admin's <c>staff certify</c> does.</summary>
    public async Task CertifyAsync(string login) =>
        Assert.True(await Services.GetRequiredService<StaffAccounts>().CertifyAsync(login) > 0, "a key was certified");

    /// <summary>A supporter whose device key is enrolled and certified, connected and on shift.</summary>
    public async Task<SupporterClient> CertifiedSupporterAsync(string login, Key device, string role = StaffRoles.Supporter,
        IConversationStore? store = null)
    {
        await CreateStaffAsync(login, role);
        var supporter = new SupporterClient(RelayOptions(), login, Password, device, store);
        Assert.Equal("awaiting-certification", (await supporter.EnrollAsync().Within()).Status);
        await CertifyAsync(login);
        await supporter.ConnectAsync().Within();
        await supporter.StartShiftAsync().Within();
        return supporter;
    }

    /// <summary>The roster key as a client pins it.</summary>
    public async Task<RosterTrust> PinnedTrustAsync()
    {
        using var http = Http();
        var roster = await http.GetFromJsonAsync<RosterBody>("/api/roster");
        return RosterTrust.Pin(Convert.FromBase64String(roster!.PublicKey));
    }

    private sealed record RosterBody(string PublicKey);

    /// <summary>None of the texts is in a log line or anywhere in the database files (after a WAL checkpoint).</summary>
    public async Task AssertPlaintextNowhereAsync(params string[] texts)
    {
        await CheckpointStorageAsync();
        foreach (var text in texts)
        {
            Assert.DoesNotContain(text, Logs.All);
            foreach (var (name, bytes) in DatabaseFiles())
                Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0, $"{name} holds plaintext");
        }
    }

    public HttpClient Http() => _port is not null ? new HttpClient { BaseAddress = BaseAddress } : CreateClient();

    public async Task<T> DbAsync<T>(Func<PeerLineDb, Task<T>> query)
    {
        Start();
        await using var db = await Services.GetRequiredService<IDbContextFactory<PeerLineDb>>().CreateDbContextAsync();
        return await query(db);
    }

    public Task SweepQueueAsync() => Services.GetRequiredService<QueueSweeper>().SweepAsync(CancellationToken.None);

    public Task CheckpointStorageAsync() => Services.GetRequiredService<StorageMaintenance>().CheckpointAsync(CancellationToken.None);

    /// <summary>The SQLite files as bytes: main database, -wal and -shm.</summary>
    public IEnumerable<(string Name, byte[] Bytes)> DatabaseFiles()
    {
        foreach (var file in Directory.GetFiles(DataDirectory, "peerline.db*"))
            yield return (Path.GetFileName(file), ReadShared(file));
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Leaves the data directory in place (for a restart test that starts a second app on it).</summary>
    public bool KeepData { get; set; }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!KeepData)
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
