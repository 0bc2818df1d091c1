namespace PeerLine.Server.Escalation;

/// <summary>The validated escalation directory, loaded once at start (a changed file takes effect at the next start).</summary>
public sealed class EscalationDirectory(IReadOnlyList<DirectoryEntry> entries)
{
    public IReadOnlyList<DirectoryEntry> Entries { get; } = entries;

    public DirectoryEntry? Find(string id) => Entries.FirstOrDefault(e => e.Id == id);

    /// <summary>Entries a caller is shown for a reason (ResourceReasons): crisis lines for a crisis, otherwise what is open now.</summary>
    public IEnumerable<DirectoryEntry> For(string reason, DateTimeOffset at) => reason == Protocol.Wire.ResourceReasons.Crisis
        ? Entries.Where(e => e.Crisis)
        : Entries.Where(e => e.Hours.IsOpen(at) == true);
}
