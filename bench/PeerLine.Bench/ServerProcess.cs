using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PeerLine.Bench;

/// <summary>The real server executable as a child process on loopback, with its own data directory.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private long _logBytes;

    private ServerProcess(Process process, Uri address, string data)
    {
        _process = process;
        Address = address;
        DataDirectory = data;
        LogFile = data + ".log";
    }

    public Uri Address { get; }
    public string DataDirectory { get; }

    /// <summary>The server's log (its stdout), beside the data directory so it does not count as database bytes.</summary>
    public string LogFile { get; }

    /// <summary>Bytes the server has written to its log so far.</summary>
    public long LogBytes => Interlocked.Read(ref _logBytes);

    /// <summary>Bytes of every file in the data directory (database, write-ahead log, keys).</summary>
    public long DataBytes() =>
        new DirectoryInfo(DataDirectory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var data = Path.Combine(Path.GetTempPath(), "peerline-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(data)!);
        var port = FreePort();
        var start = Command("--urls", $"http://127.0.0.1:{port}", "--data", data);
        foreach (var (k, v) in settings) start.Environment[k.Replace(":", "__")] = v;
        var process = Process.Start(start)!;
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"), data);
        _ = server.CopyLogAsync().ContinueWith(
            t => Console.Error.WriteLine("the server's log could not be copied: " + t.Exception!.GetBaseException().Message),
            TaskContinuationOptions.OnlyOnFaulted);
        _ = process.StandardError.ReadToEndAsync();

        using var http = new HttpClient { BaseAddress = server.Address };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/readyz")).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (process.HasExited)
                throw new InvalidOperationException("server exited during start:\n" + await File.ReadAllTextAsync(server.LogFile));
            await Task.Delay(100);
        }
    }

    private async Task CopyLogAsync()
    {
        await using var log = new FileStream(LogFile, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
        var output = _process.StandardOutput.BaseStream;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await output.ReadAsync(buffer)) > 0)
        {
            await log.WriteAsync(buffer.AsMemory(0, read));
            Interlocked.Add(ref _logBytes, read);
        }
    }

    /// <summary>Runs an admin command (staff add ...) against this server's data directory.</summary>
    public async Task AdminAsync(string stdin, params string[] args)
    {
        var start = Command([.. args, "--data", DataDirectory]);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("admin command failed: " + await error);
    }

    /// <summary>Peak resident memory of the server process (VmHWM), in MiB.</summary>
    public long PeakMemoryMiB()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
        return status is null ? -1 : long.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        try { File.Delete(LogFile); } catch (IOException) { }
    }

    private static ProcessStartInfo Command(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PeerLine.Server.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
