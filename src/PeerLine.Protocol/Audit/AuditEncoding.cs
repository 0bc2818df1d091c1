using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PeerLine.Protocol.Audit;

/// <summary>
/// The canonical encoding the chain hashes, and the JSON lines of an export. The canonical form of a record is the
/// compact UTF-8 JSON object {"seq","at","kind","fields","prev"} in that order, field names in ordinal order, codes
/// as strings, counts as integers, prev in lowercase hex (docs/features/audit.md). Every string of it is made of
/// [a-z0-9:TZ-], so no JSON escaping ever applies and another implementation reproduces it byte for byte.
/// </summary>
public static class AuditEncoding
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";
    private static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly byte[] SignaturePrefix = "peerline audit record v1\n"u8.ToArray();

    public static byte[] Canonical(long seq, DateTimeOffset at, string kind, IReadOnlyDictionary<string, object> fields, byte[] prev)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteBody(json, seq, at, kind, fields, prev);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static byte[] HashOf(long seq, DateTimeOffset at, string kind, IReadOnlyDictionary<string, object> fields, byte[] prev) =>
        SHA256.HashData(Canonical(seq, at, kind, fields, prev));

    /// <summary>The bytes the audit key signs for one record.</summary>
    public static byte[] SigningInput(byte[] hash) => [.. SignaturePrefix, .. hash];

    public static string FormatTime(DateTimeOffset at) => at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>One export line: {"type":"event", the canonical members, "hash", "sig"}.</summary>
    public static string EventLine(AuditRecord r)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, LineOptions))
        {
            json.WriteStartObject();
            json.WriteString("type", "event");
            WriteBody(json, r.Seq, r.At, r.Kind, r.Fields, r.Prev);
            json.WriteString("hash", Hex(r.Hash));
            json.WriteString("sig", Hex(r.Signature));
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One export line carrying a signed checkpoint note (C2SP tlog-checkpoint).</summary>
    public static string CheckpointLine(string signedNote)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, LineOptions))
        {
            json.WriteStartObject();
            json.WriteString("type", "checkpoint");
            json.WriteString("note", signedNote);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads one export line strictly: unknown members, free text and wrong types are refused.</summary>
    public static bool TryParseLine(string line, out AuditRecord? record, out string? checkpointNote, out string? problem)
    {
        record = null;
        checkpointNote = null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Fail("not a JSON object", out problem);
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type == "checkpoint")
            {
                if (root.EnumerateObject().Count() != 2 || !root.TryGetProperty("note", out var note) || note.ValueKind != JsonValueKind.String)
                    return Fail("malformed checkpoint line", out problem);
                checkpointNote = note.GetString();
                problem = null;
                return true;
            }
            if (type != "event") return Fail("unknown line type", out problem);

            string[] members = ["type", "seq", "at", "kind", "fields", "prev", "hash", "sig"];
            if (root.EnumerateObject().Count() != members.Length || members.Any(m => !root.TryGetProperty(m, out _)))
                return Fail("an event line must have exactly the members " + string.Join(", ", members), out problem);
            if (!root.GetProperty("seq").TryGetInt64(out var seq) || seq < 1) return Fail("seq is not a positive integer", out problem);
            if (root.GetProperty("at").GetString() is not { } atText ||
                !DateTimeOffset.TryParseExact(atText, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                return Fail("at is not a UTC time to the second", out problem);
            var kind = root.GetProperty("kind").GetString();
            if (kind is null || !AuditValues.IsCode(kind)) return Fail("kind is not a code", out problem);

            var fieldsElement = root.GetProperty("fields");
            if (fieldsElement.ValueKind != JsonValueKind.Object) return Fail("fields is not an object", out problem);
            var fields = new SortedDictionary<string, object>(StringComparer.Ordinal);
            foreach (var f in fieldsElement.EnumerateObject())
            {
                object? value = f.Value.ValueKind switch
                {
                    JsonValueKind.String => f.Value.GetString(),
                    JsonValueKind.Number when f.Value.TryGetInt64(out var n) => n,
                    _ => null,
                };
                if (value is null || !fields.TryAdd(f.Name, value)) return Fail($"field {f.Name} is not a code or a count", out problem);
            }
            if (AuditValues.Check(fields) is { } bad) return Fail(bad, out problem);

            var prev = Bytes(root.GetProperty("prev"), AuditRecord.HashBytes);
            var hash = Bytes(root.GetProperty("hash"), AuditRecord.HashBytes);
            var sig = Bytes(root.GetProperty("sig"), AuditRecord.SignatureBytes);
            if (prev is null || hash is null || sig is null) return Fail("prev, hash or sig is not lowercase hex of the right length", out problem);
            record = new AuditRecord(seq, at, kind, fields, prev, hash, sig);
            problem = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return Fail("not valid JSON of an export line", out problem);
        }
    }

    private static void WriteBody(
        Utf8JsonWriter json, long seq, DateTimeOffset at, string kind, IReadOnlyDictionary<string, object> fields, byte[] prev)
    {
        json.WriteNumber("seq", seq);
        json.WriteString("at", FormatTime(at));
        json.WriteString("kind", kind);
        json.WriteStartObject("fields");
        foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (value is long n) json.WriteNumber(name, n);
            else json.WriteString(name, (string)value);
        }
        json.WriteEndObject();
        json.WriteString("prev", Hex(prev));
    }

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static byte[]? Bytes(JsonElement element, int length)
    {
        if (element.ValueKind != JsonValueKind.String || element.GetString() is not { } text || text.Length != length * 2) return null;
        if (text.Any(c => c is not (>= '0' and <= '9' or >= 'a' and <= 'f'))) return null;
        return Convert.FromHexString(text);
    }

    private static bool Fail(string why, out string? problem)
    {
        problem = why;
        return false;
    }
}
