using Microsoft.Extensions.Options;
using PeerLine.Protocol.CommandLine;
using PeerLine.Server.Hosting;
using PeerLine.Server.Roster;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Staff;

/// <summary>
/// <c>staff add --login NAME --role ROLE [--data DIR]</c> (password on stdin), <c>staff disable --login NAME</c>,
/// <c>staff list</c>. They share the server's configuration and data directory, and work while it runs.
/// </summary>
public static class StaffCommands
{
    private const string Usage = """
        usage:
          staff add --login NAME --role supporter|lead|auditor|admin [--data DIR]   (password on stdin)
          staff disable --login NAME [--data DIR]
          staff role --login NAME --role supporter|lead|auditor|admin [--data DIR]   (replaces the login's role)
          staff list [--data DIR]
          staff certify --login NAME [--data DIR]     (signs the login's enrolled device keys with the roster key)
          staff certify --login NAME --certificate BASE64 [--data DIR]   (offline roster: installs a `peerline roster sign` certificate)
          staff revoke --login NAME [--data DIR]      (revokes the login's device keys, e.g. a lost device)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length > 1 ? args[1] : "";
        var options = CommandOptions.Parse(args.Skip(2));
        if (options is null || verb is not ("add" or "disable" or "role" or "list" or "certify" or "revoke"))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var builder = AdminHost.CreateBuilder(options);
        builder.Services.AddStaffAccounts();
        builder.Services.AddRoster();
        using var host = builder.Build();
        await host.Services.MigrateDatabaseAsync();
        var accounts = host.Services.GetRequiredService<StaffAccounts>();

        switch (verb)
        {
            case "add":
                if (!options.TryGetValue("login", out var login) || !options.TryGetValue("role", out var role)) break;
                var password = (await Console.In.ReadLineAsync())?.TrimEnd('\r', '\n');
                if (string.IsNullOrEmpty(password))
                {
                    await Console.Error.WriteLineAsync("error: no password on standard input");
                    return 1;
                }
                var errors = await accounts.AddAsync(login, role, password);
                foreach (var e in errors) await Console.Error.WriteLineAsync("error: " + e);
                if (errors.Count > 0) return 1;
                Console.WriteLine($"added {login} ({role})");
                return 0;

            case "disable":
                if (!options.TryGetValue("login", out var target)) break;
                if (await accounts.DisableAsync(target))
                {
                    Console.WriteLine($"disabled {target}");
                    return 0;
                }
                await Console.Error.WriteLineAsync("error: no such login");
                return 1;

            case "role":
                if (!options.TryGetValue("login", out var toChange) || !options.TryGetValue("role", out var newRole)) break;
                var refusals = await accounts.SetRoleAsync(toChange, newRole);
                foreach (var e in refusals) await Console.Error.WriteLineAsync("error: " + e);
                if (refusals.Count > 0) return 1;
                Console.WriteLine($"{toChange} is now {newRole}");
                return 0;

            case "certify":
                if (!options.TryGetValue("login", out var toCertify)) break;
                if (options.TryGetValue("certificate", out var signed))
                {
                    byte[] bytes;
                    try { bytes = Convert.FromBase64String(signed); }
                    catch (FormatException) { await Console.Error.WriteLineAsync("error: the certificate is not base64"); return 1; }
                    var refusal = await accounts.InstallCertificateAsync(toCertify, bytes);
                    if (refusal is not null) { await Console.Error.WriteLineAsync("error: " + refusal); return 1; }
                    Console.WriteLine($"installed the certificate of {toCertify}");
                    return 0;
                }
                if (host.Services.GetRequiredService<IOptions<RosterOptions>>().Value.Mode == RosterMode.Offline)
                {
                    foreach (var (keyId, publicKey) in await accounts.PendingKeysAsync(toCertify) ?? [])
                        Console.WriteLine($"{keyId}\t{Convert.ToBase64String(publicKey)}");
                    await Console.Error.WriteLineAsync(
                        "error: the roster key is offline: sign each key above with `peerline roster sign`, then pass --certificate");
                    return 1;
                }
                var certified = await accounts.CertifyAsync(toCertify);
                if (certified is null)
                {
                    await Console.Error.WriteLineAsync("error: no such active login");
                    return 1;
                }
                Console.WriteLine($"certified {certified} device key(s) of {toCertify}");
                return 0;

            case "revoke":
                if (!options.TryGetValue("login", out var toRevoke)) break;
                var revoked = await accounts.RevokeKeysAsync(toRevoke);
                if (revoked is null)
                {
                    await Console.Error.WriteLineAsync("error: no such login");
                    return 1;
                }
                Console.WriteLine($"revoked {revoked} device key(s) of {toRevoke}");
                return 0;

            case "list":
                foreach (var a in await accounts.ListAsync())
                    Console.WriteLine($"{a.Login}\t{string.Join(",", a.Roles)}\t{(a.Disabled ? "disabled" : "active")}");
                return 0;
        }
        await Console.Error.WriteLineAsync(Usage);
        return 2;
    }
}
