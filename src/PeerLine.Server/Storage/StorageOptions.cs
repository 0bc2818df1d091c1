namespace PeerLine.Server.Storage;

public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Directory for the SQLite database and the data-protection keys. <c>--data DIR</c> overrides it.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>SQLite file name inside <see cref="DataDirectory"/>.</summary>
    public string DatabaseFile { get; set; } = "peerline.db";

    /// <summary>How long a write waits for a busy database before it fails, in seconds.</summary>
    public int BusyTimeoutSeconds { get; set; } = 30;

    /// <summary>How often the write-ahead log is checkpointed and truncated, in seconds.</summary>
    public int CheckpointSeconds { get; set; } = 30;

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), DatabaseFile);
}
