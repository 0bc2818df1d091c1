namespace PeerLine.Server.Audit;

/// <summary>
/// A stored audit record (see PeerLine.Protocol.Audit.AuditRecord). <see cref="Fields"/> is the canonical JSON of its codes and counts.
/// </summary>
public sealed class AuditEventRow
{
    public long Seq { get; set; }
    public long At { get; set; }
    public required string Kind { get; set; }
    public required string Fields { get; set; }
    public required byte[] Prev { get; set; }
    public required byte[] Hash { get; set; }
    public required byte[] Signature { get; set; }
}

/// <summary>A signed checkpoint: the trail held <see cref="Size"/> records ending in <see cref="Head"/>.</summary>
public sealed class AuditCheckpointRow
{
    public long Size { get; set; }
    public required byte[] Head { get; set; }
    public long SignedAt { get; set; }
    public required string Note { get; set; }
}
