namespace PeerLine.Client.State;

/// <summary>
/// One file per key in a directory only its owner may enter (0700); each file owner-only (0600). A save writes a
/// temporary file, flushes it to disk and renames it over the old one, so a crash leaves either the old or the new
/// state, never half of one.
/// </summary>
public sealed class FileConversationStore : IConversationStore
{
    private const string Suffix = ".state";
    private const string TempSuffix = ".tmp";
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _directory;

    public FileConversationStore(string directory)
    {
        _directory = Path.GetFullPath(directory);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(_directory);
            return;
        }
        Directory.CreateDirectory(_directory, OwnerOnlyDirectory);
        File.SetUnixFileMode(_directory, OwnerOnlyDirectory);
    }

    public string DirectoryPath => _directory;

    public async Task<byte[]?> LoadAsync(string key, CancellationToken ct = default)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(key), ct);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public async Task SaveAsync(string key, byte[] data, CancellationToken ct = default)
    {
        var target = PathOf(key);
        var temp = target + "." + Guid.NewGuid().ToString("N") + TempSuffix;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
            await using (var file = new FileStream(temp, options))
            {
                await file.WriteAsync(data, ct);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> KeysAsync(string prefix, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>(Directory.EnumerateFiles(_directory, "*" + Suffix)
            .Select(f => Path.GetFileName(f)[..^Suffix.Length])
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList());

    private string PathOf(string key) => Path.Combine(_directory, ConversationKeys.Check(key) + Suffix);
}
