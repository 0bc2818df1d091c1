using System.Globalization;
using NSec.Cryptography;
using PeerLine.Protocol.Roster;

namespace PeerLine.Cli.Roster;

/// <summary>
/// The roster key kept off the server: <c>roster init</c> creates it on an offline machine, <c>roster sign</c>
/// certifies one supporter device key with it. The server is configured with the public key only.
/// </summary>
public static class OfflineRosterCommands
{
    public static async Task<int> InitAsync(IReadOnlyDictionary<string, string> options, TextWriter stdout, TextWriter stderr)
    {
        if (!options.TryGetValue("out", out var path)) return Cli.Usage;
        if (File.Exists(path))
        {
            await stderr.WriteLineAsync("error: that file exists; a roster key is never overwritten");
            return Cli.Failed;
        }
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(path, file)) await stream.WriteAsync(key.Export(KeyBlobFormat.RawPrivateKey));

        await stdout.WriteLineAsync(Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
        await stderr.WriteLineAsync("roster public key above: configure the server with Roster__Mode=Offline and Roster__PublicKey=<it>");
        return Cli.Ok;
    }

    public static async Task<int> SignAsync(IReadOnlyDictionary<string, string> options, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        if (!options.TryGetValue("key", out var keyFile) || !options.TryGetValue("public-key", out var publicKeyText) ||
            !options.TryGetValue("handle", out var handle)) return Cli.Usage;
        var days = 30;
        if (options.TryGetValue("days", out var d)
            && (!int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days is < 1 or > 365))
            return Cli.Usage;

        byte[] publicKey;
        try { publicKey = Convert.FromBase64String(publicKeyText); }
        catch (FormatException) { publicKey = []; }
        if (publicKey.Length != 32)
        {
            await stderr.WriteLineAsync("error: --public-key must be the base64 of a 32-byte X25519 public key");
            return Cli.Failed;
        }

        using var rosterKey = Key.Import(SignatureAlgorithm.Ed25519, await File.ReadAllBytesAsync(keyFile), KeyBlobFormat.RawPrivateKey);
        var now = time.GetUtcNow();
        var certificate = new RosterCertificate(RosterCertificate.KeyIdFor(publicKey), publicKey, now.AddMinutes(-5), now.AddDays(days), handle);
        await stdout.WriteLineAsync(Convert.ToBase64String(certificate.Sign(rosterKey)));
        return Cli.Ok;
    }
}
