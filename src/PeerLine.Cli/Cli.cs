using PeerLine.Cli.Audit;
using PeerLine.Cli.Probe;
using PeerLine.Cli.Roster;
using PeerLine.Protocol.CommandLine;

namespace PeerLine.Cli;

/// <summary>The <c>peerline</c> command: verbs and their <c>--name value</c> options (<see cref="CommandOptions"/>).</summary>
public static class Cli
{
    public const int Ok = 0, Failed = 1, Usage = 2, AwaitingCertification = 3;

    private const string Help = """
        usage:
          peerline probe --server URL --login NAME --state DIR [--message TEXT] [--timeout SECONDS]   (password on stdin)
          peerline roster init --out FILE                       (offline roster key; prints its public key)
          peerline roster sign --key FILE --public-key BASE64 --handle NAME [--days 30]   (prints a certificate)
          peerline audit verify FILE --key BASE64               (checks an audit export; exit 1 names the first bad record)
        exit codes: 0 the line answered end to end (audit verify: the export verifies); 1 it did not; 2 usage; 3 this device's key awaits certification
        """;

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var options = CommandOptions.Parse(args.Skip(args.FirstOrDefault() switch { "roster" => 2, "audit" => 3, _ => 1 }));
        var code = Usage;
        switch (args.FirstOrDefault())
        {
            case "roster" when options is not null && args.ElementAtOrDefault(1) == "init":
                code = await OfflineRosterCommands.InitAsync(options, stdout, stderr);
                break;
            case "roster" when options is not null && args.ElementAtOrDefault(1) == "sign":
                code = await OfflineRosterCommands.SignAsync(options, stdout, stderr, TimeProvider.System);
                break;
            case "audit" when options is not null && args.ElementAtOrDefault(1) == "verify" && args.Length > 2
                && options.TryGetValue("key", out var auditKey):
                code = await AuditVerifyCommand.RunAsync(args[2], auditKey, stdout, stderr);
                break;
            case "probe" when options is not null && ProbeSettings.From(options) is { } settings:
                var password = (await stdin.ReadLineAsync())?.TrimEnd('\r', '\n');
                if (string.IsNullOrEmpty(password))
                {
                    await stderr.WriteLineAsync("error: no password on standard input");
                    return Usage;
                }
                return await SyntheticProbe.RunAsync(settings, password, stdout, stderr);
        }
        if (code == Usage) await stderr.WriteLineAsync(Help);
        return code;
    }
}
