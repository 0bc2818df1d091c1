using System.Net.Http.Json;
using System.Text;
using NSec.Cryptography;

namespace PeerLine.Cli.Probe;

/// <summary>
/// What the probe keeps between runs in its state directory (owner-only): the device's X25519 private key, which
/// never leaves it, and the roster public key pinned at first contact (trust on first use; compare it with the
/// operator's published value once), and the conversation store of its clients.
/// </summary>
public sealed class ProbeState(string directory)
{
    private const string DeviceKeyFile = "device.key";

    /// <summary>The FileConversationStore of the probe's two clients (channel state and messages until delivered).</summary>
    public const string ConversationsDirectory = "conversations";
    private const string RosterKeyFile = "roster.pub";

    public bool IsNew => !File.Exists(Path.Combine(directory, DeviceKeyFile));

    public Key LoadOrCreateDeviceKey()
    {
        var path = Path.Combine(directory, DeviceKeyFile);
        var creation = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        if (File.Exists(path)) return Key.Import(KeyAgreementAlgorithm.X25519, File.ReadAllBytes(path), KeyBlobFormat.RawPrivateKey, creation);

        var key = Key.Create(KeyAgreementAlgorithm.X25519, creation);
        WriteOwnerOnly(path, key.Export(KeyBlobFormat.RawPrivateKey));
        return key;
    }

    public async Task<byte[]> PinnedRosterKeyAsync(Uri server, CancellationToken ct)
    {
        var path = Path.Combine(directory, RosterKeyFile);
        if (File.Exists(path)) return Convert.FromBase64String(await File.ReadAllTextAsync(path, ct));

        using var http = new HttpClient { BaseAddress = server };
        var roster = await http.GetFromJsonAsync<RosterAnswer>("/api/roster", ct) ?? throw new InvalidOperationException("no roster");
        WriteOwnerOnly(path, Encoding.ASCII.GetBytes(roster.PublicKey));
        return Convert.FromBase64String(roster.PublicKey);
    }

    private void WriteOwnerOnly(string path, byte[] bytes)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(path, bytes);
            return;
        }
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        file.Write(bytes);
    }

    private sealed record RosterAnswer(string PublicKey);
}
