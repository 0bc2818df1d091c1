namespace PeerLine.Server.Escalation;

public sealed class DirectoryOptions
{
    public const string SectionName = "Directory";

    /// <summary>The escalation directory file (see the shipped directory.json). Default: directory.json next to the server.</summary>
    public string File { get; set; } = Path.Combine(AppContext.BaseDirectory, "directory.json");
}
