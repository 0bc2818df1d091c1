namespace PeerLine.Protocol.Audit;

/// <summary>
/// One event of the audit trail. <see cref="Fields"/> holds codes and counts only (see <see cref="AuditValues"/>);
/// <see cref="Prev"/> is the hash of the record before it, <see cref="Hash"/> the SHA-256 of this record's canonical
/// encoding, <see cref="Signature"/> the audit key's Ed25519 signature of that hash.
/// </summary>
public sealed record AuditRecord(
    long Seq,
    DateTimeOffset At,
    string Kind,
    IReadOnlyDictionary<string, object> Fields,
    byte[] Prev,
    byte[] Hash,
    byte[] Signature)
{
    public const int HashBytes = 32;
    public const int SignatureBytes = 64;

    /// <summary>A field's code, or null when it is absent or a count.</summary>
    public string? Code(string name) => Fields.TryGetValue(name, out var v) ? v as string : null;

    /// <summary>A field's count, or null when it is absent or a code.</summary>
    public long? Count(string name) => Fields.TryGetValue(name, out var v) && v is long n ? n : null;
}

/// <summary>What may be a field of an audit record: a code (lowercase letters, digits, dashes) or a non-negative count.</summary>
public static class AuditValues
{
    public const int MaxNameLength = 32;
    public const int MaxCodeLength = 64;
    public const int MaxFields = 16;

    public static bool IsName(string name) =>
        name.Length is > 0 and <= MaxNameLength && name[0] is >= 'a' and <= 'z' && name.All(c => c is >= 'a' and <= 'z' or '-');

    public static bool IsCode(string code) =>
        code.Length is > 0 and <= MaxCodeLength && code[0] is >= 'a' and <= 'z' or >= '0' and <= '9'
        && code.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-');

    /// <summary>Null when the fields are all codes and counts; otherwise what is wrong.</summary>
    public static string? Check(IReadOnlyDictionary<string, object> fields)
    {
        if (fields.Count > MaxFields) return "too many fields";
        foreach (var (name, value) in fields)
        {
            if (!IsName(name)) return "a field name is not a code";
            switch (value)
            {
                case string s when IsCode(s): break;
                case long n when n >= 0: break;
                default: return $"field {name} is not a code or a count";
            }
        }
        return null;
    }
}
