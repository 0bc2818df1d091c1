namespace PeerLine.Server.Escalation;

/// <summary>The validated escalation directory, loaded once at start (a changed file takes effect at the next start).</summary>
public sealed class EscalationDirectory(IReadOnlyList<DirectoryEntry> entries)
{
    public IReadOnlyList<DirectoryEntry> Entries { get; } = entries;
}
