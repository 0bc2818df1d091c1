using System.Diagnostics;

namespace PeerLine.Tests.Infrastructure;

/// <summary>The server's admin commands exactly as an operator scripts them: a separate process on the server executable.</summary>
public static class ServerCommand
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(string? stdin, params string[] args)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "PeerLine.Server.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(server);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
