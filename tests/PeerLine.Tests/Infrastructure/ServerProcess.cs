using System.Diagnostics;

namespace PeerLine.Tests.Infrastructure;

/// <summary>
/// The real server executable as a child process on loopback, with its own data directory, for what only a separate
/// process shows: it can be killed with SIGKILL (no shutdown code runs) and started again on the same port and data.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly Dictionary<string, string> TestSettings = new()
    {
        ["Queue:NotifyDebounceMilliseconds"] = "20",
        ["StaffAuth:LoginsPerMinute"] = "10000",
    };

    private Process? _process;

    public ServerProcess()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "peerline-tests", Guid.NewGuid().ToString("N"));
        Port = PeerLineApp.FreePort();
    }

    public string DataDirectory { get; }
    public int Port { get; }
    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts the server (again) and waits until /readyz answers.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PeerLine.Server.dll"));
        foreach (var a in new[] { "--urls", Address.ToString().TrimEnd('/'), "--data", DataDirectory }) start.ArgumentList.Add(a);
        foreach (var (k, v) in TestSettings) start.Environment[k.Replace(":", "__")] = v;
        var process = Process.Start(start)!;
        _process = process;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();

        using var http = new HttpClient { BaseAddress = Address };
        var deadline = DateTime.UtcNow.AddSeconds(120); // a loaded test machine starts slowly
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/readyz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            if (process.HasExited) throw new InvalidOperationException("server exited during start: " + await error + await output);
            if (DateTime.UtcNow >= deadline)
            {
                process.Kill();
                throw new TimeoutException("server did not become ready: " + await error + await output);
            }
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: the process ends at once, mid-write if it was writing.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("not started");
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    /// <summary>An admin command (staff add, staff certify …) on this server's data directory.</summary>
    public async Task AdminAsync(string? stdin, params string[] args)
    {
        var (exit, _, error) = await ServerCommand.RunAsync(stdin, [.. args, "--data", DataDirectory]);
        Assert.True(exit == 0, error);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
