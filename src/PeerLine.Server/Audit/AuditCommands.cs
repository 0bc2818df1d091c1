using PeerLine.Protocol.CommandLine;
using PeerLine.Server.Hosting;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Audit;

/// <summary>
/// <c>audit export --out FILE [--data DIR]</c> writes the trail as JSON lines with its checkpoints;
/// <c>audit key [--data DIR]</c> prints the audit public key (base64) that <c>peerline audit verify --key</c> takes.
/// They share the server's configuration and data directory, and work while it runs.
/// </summary>
public static class AuditCommands
{
    private const string Usage = """
        usage:
          audit export --out FILE [--data DIR]   (the whole trail as JSON lines, ending in a signed checkpoint)
          audit key [--data DIR]                 (prints the audit public key, base64)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length > 1 ? args[1] : "";
        var options = CommandOptions.Parse(args.Skip(2));
        if (options is null || verb is not ("export" or "key") || (verb == "export" && !options.ContainsKey("out")))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        using var host = AdminHost.CreateBuilder(options).Build();

        if (verb == "key")
        {
            Console.WriteLine(Convert.ToBase64String(host.Services.GetRequiredService<AuditKey>().PublicKey));
            return 0;
        }

        await host.Services.MigrateDatabaseAsync();
        var path = Path.GetFullPath(options["out"]);
        var partial = path + ".partial";
        long records;
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var file = new FileStream(partial, create))
            records = await host.Services.GetRequiredService<AuditExport>().WriteAsync(file, "cli", null, CancellationToken.None);
        File.Move(partial, path, overwrite: true);
        Console.WriteLine($"exported {records} audit records to {path}");
        return 0;
    }
}
