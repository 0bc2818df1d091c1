using NSec.Cryptography;

namespace PeerLine.Protocol.Audit;

/// <summary>
/// Checks an audit trail in order, record by record: consecutive seq, prev equal to the hash before, hash equal to
/// the canonical encoding's SHA-256, the audit key's signature, and every checkpoint signed and naming the record it
/// follows. The first failure is the answer; nothing after it is trusted.
/// </summary>
public sealed class AuditVerifier
{
    public const string RetentionKind = "retention-run";
    public const string KeptFromField = "kept-from";

    private readonly byte[] _publicKeyBytes;
    private readonly PublicKey _publicKey;
    private long _firstSeq;
    private long _keptFrom = 1;
    private AuditRecord? _last;
    private readonly bool _deferSignatures;
    private readonly List<AuditRecord> _unanchored = [];

    /// <param name="deferSignatures">
    /// Check record signatures only where no checkpoint anchors the chain (<see cref="CheckUnanchored"/>): a signed
    /// checkpoint's head hash already vouches for every record before it. Much faster; it names a forged record
    /// by the break it causes in the chain rather than by its own signature.
    /// </param>
    public AuditVerifier(byte[] publicKey, bool deferSignatures = false)
    {
        _publicKeyBytes = publicKey;
        _publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey);
        _deferSignatures = deferSignatures;
    }

    public long Records { get; private set; }
    public AuditCheckpoint? LastCheckpoint { get; private set; }
    public long CoveredThrough => LastCheckpoint?.Size ?? 0;
    public long FirstSeq => _firstSeq;
    public long LastSeq => _last?.Seq ?? 0;

    /// <summary>Null when the record follows on correctly; otherwise why it does not.</summary>
    public string? Add(AuditRecord record)
    {
        if (_last is null)
        {
            if (record.Seq < 1) return "seq must start at 1";
            _firstSeq = record.Seq;
        }
        else
        {
            if (record.Seq != _last.Seq + 1) return $"expected seq {_last.Seq + 1}, found {record.Seq}";
            if (!record.Prev.AsSpan().SequenceEqual(_last.Hash)) return "prev is not the hash of the record before";
        }
        if (AuditValues.Check(record.Fields) is { } notCoded) return notCoded;
        var hash = AuditEncoding.HashOf(record.Seq, record.At, record.Kind, record.Fields, record.Prev);
        if (!hash.AsSpan().SequenceEqual(record.Hash)) return "the hash does not match the record's content";
        if (_deferSignatures) _unanchored.Add(record);
        else if (!SignatureVerifies(record)) return "the signature does not verify with the audit key";

        if (record.Kind == RetentionKind && record.Count(KeptFromField) is { } keptFrom) _keptFrom = Math.Max(_keptFrom, keptFrom);
        _last = record;
        Records++;
        return null;
    }

    /// <summary>A checkpoint must follow the record it covers and carry that record's seq and hash.</summary>
    public string? AddCheckpoint(string signedNote)
    {
        var checkpoint = AuditCheckpoint.Verify(signedNote, _publicKeyBytes, out var problem);
        if (checkpoint is null) return problem;
        if (_last is null) return "a checkpoint before any record";
        if (checkpoint.Size != _last.Seq) return $"the checkpoint covers {checkpoint.Size} records but follows record {_last.Seq}";
        if (!checkpoint.Head.AsSpan().SequenceEqual(_last.Hash)) return "the checkpoint's head hash is not the hash of the record it follows";
        LastCheckpoint = checkpoint;
        _unanchored.Clear();
        return null;
    }

    /// <summary>Records missing before the first one, given the newest retention run's first kept seq; null when none are.</summary>
    public string? MissingStart() => _last is not null && _firstSeq > _keptFrom ? $"records {_keptFrom} to {_firstSeq - 1} are missing" : null;

    /// <summary>With deferred signatures: the first record after the last checkpoint whose signature fails, or null.</summary>
    public (long Seq, string Problem)? CheckUnanchored()
    {
        foreach (var record in _unanchored)
            if (!SignatureVerifies(record)) return (record.Seq, "the signature does not verify with the audit key");
        return null;
    }

    private bool SignatureVerifies(AuditRecord record) =>
        SignatureAlgorithm.Ed25519.Verify(_publicKey, AuditEncoding.SigningInput(record.Hash), record.Signature);

    /// <summary>At the end: nothing missing at the start (given retention), nothing unsigned at the end.</summary>
    public string? Finish()
    {
        if (_last is null) return "no records";
        if (MissingStart() is { } missing) return missing;
        if (CoveredThrough != _last.Seq) return $"records after {CoveredThrough} are not covered by a signed checkpoint";
        return null;
    }
}
