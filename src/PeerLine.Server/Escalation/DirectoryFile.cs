using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PeerLine.Protocol.Wire;

namespace PeerLine.Server.Escalation;

/// <summary>
/// Reads and validates directory.json. Every problem is reported with the entry and field it concerns, so an
/// operator can fix the file from the message alone; the server does not start with an invalid directory.
/// </summary>
public static partial class DirectoryFile
{
    internal static readonly Dictionary<string, DayOfWeek[]> Days = new(StringComparer.Ordinal)
    {
        ["mon"] = [DayOfWeek.Monday], ["tue"] = [DayOfWeek.Tuesday], ["wed"] = [DayOfWeek.Wednesday],
        ["thu"] = [DayOfWeek.Thursday], ["fri"] = [DayOfWeek.Friday], ["sat"] = [DayOfWeek.Saturday],
        ["sun"] = [DayOfWeek.Sunday], ["daily"] = Enum.GetValues<DayOfWeek>(),
        ["weekdays"] = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
        ["weekends"] = [DayOfWeek.Saturday, DayOfWeek.Sunday],
    };

    /// <summary>The entries, or the list of problems (never both).</summary>
    public static (IReadOnlyList<DirectoryEntry>? Entries, IReadOnlyList<string> Errors) Load(string path)
    {
        if (!File.Exists(path)) return (null, [$"{path}: the escalation directory file does not exist (Directory:File)."]);
        try
        {
            var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
            using var document = JsonDocument.Parse(File.ReadAllText(path), options);
            return Parse(document.RootElement, Path.GetFileName(path));
        }
        catch (JsonException e)
        {
            return (null, [$"{path}: not valid JSON (line {e.LineNumber + 1}): {e.Message}"]);
        }
    }

    public static (IReadOnlyList<DirectoryEntry>? Entries, IReadOnlyList<string> Errors) Parse(JsonElement root, string file)
    {
        var errors = new List<string>();
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("entries", out var list) || list.ValueKind != JsonValueKind.Array)
            return (null, [$"{file}: expected an object with an \"entries\" array."]);

        var entries = new List<DirectoryEntry>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in list.EnumerateArray())
        {
            var reader = new EntryReader(element, $"{file}: entries[{index++}]", errors);
            var entry = reader.Read();
            if (entry is null) continue;
            if (!ids.Add(entry.Id)) errors.Add($"{reader.Where}: id \"{entry.Id}\" is used twice.");
            entries.Add(entry);
        }
        if (index == 0) errors.Add($"{file}: \"entries\" is empty.");
        else if (errors.Count == 0 && !entries.Any(e => e.Crisis && e.Hours.Kind == HoursKinds.Always))
            errors.Add($"{file}: at least one crisis resource must be open at all times (crisis routing shows it to callers).");
        return errors.Count == 0 ? (entries, []) : (null, errors);
    }

    /// <summary>"HH:mm", 24-hour.</summary>
    internal static bool TryTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\+?[0-9][0-9 ()-]{1,24}$")]
    private static partial Regex PhonePattern();

    private sealed class EntryReader(JsonElement element, string where, List<string> errors)
    {
        public string Where { get; private set; } = where;

        public DirectoryEntry? Read()
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{Where}: expected an object.");
                return null;
            }
            var before = errors.Count;
            var id = Text(element, "id", 32);
            if (id is not null)
            {
                Where += $" (\"{id}\")";
                if (!IdPattern().IsMatch(id))
                    errors.Add($"{Where}: id must be 1–32 characters of a–z, 0–9 and '-', starting with a letter or digit.");
            }
            var name = Text(element, "name", 100);
            var kind = Text(element, "kind", 40);
            if (kind is not null && !ResourceKinds.All.Contains(kind))
                errors.Add($"{Where}: kind \"{kind}\" is not one of {string.Join(", ", ResourceKinds.All)}.");
            var tier = element.TryGetProperty("tier", out var t) && t.TryGetInt32(out var n) && n is >= 1 and <= 3
                ? n : Fail<int>("tier must be 1, 2 or 3");
            var crisis = element.TryGetProperty("crisis", out var c) && c.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? c.GetBoolean() : Fail<bool>("crisis must be true or false");
            var contact = ReadContact();
            var (hours, hoursText) = ReadHours();
            var cost = Text(element, "cost", 200);
            var confidentiality = Text(element, "confidentiality", 500);
            var summary = Text(element, "summary", 500);
            if (errors.Count > before) return null;
            return new DirectoryEntry(id!, name!, kind!, tier, crisis, contact!, hours!, hoursText!, cost!, confidentiality!, summary!);
        }

        private Contact? ReadContact()
        {
            if (!element.TryGetProperty("contact", out var contact) || contact.ValueKind != JsonValueKind.Object)
                return Fail<Contact>("contact must be an object with phone, text, url and/or howToReach");
            var phone = Optional(contact, "phone", 30, "contact.phone");
            var text = Optional(contact, "text", 30, "contact.text");
            var url = Optional(contact, "url", 300, "contact.url");
            var how = Optional(contact, "howToReach", 300, "contact.howToReach");
            if (phone is not null && !PhonePattern().IsMatch(phone)) errors.Add($"{Where}: contact.phone \"{phone}\" is not a phone number.");
            if (text is not null && !PhonePattern().IsMatch(text)) errors.Add($"{Where}: contact.text \"{text}\" is not a number to text.");
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps))
                errors.Add($"{Where}: contact.url must be an https:// address.");
            if (phone is null && text is null && url is null && how is null)
                errors.Add($"{Where}: contact needs at least one of phone, text, url or howToReach.");
            return new Contact(phone, text, url, how);
        }

        private (OpeningHours?, string?) ReadHours()
        {
            if (!element.TryGetProperty("hours", out var hours) || hours.ValueKind != JsonValueKind.Object)
                return (Fail<OpeningHours>("hours must be an object with timeZone and one of always, byAppointment or weekly"), null);
            var zoneId = Text(hours, "timeZone", 64, "hours.timeZone");
            var text = Text(hours, "text", 100, "hours.text");
            TimeZoneInfo? zone = null;
            if (zoneId is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out zone))
                errors.Add($"{Where}: hours.timeZone \"{zoneId}\" is not a known time zone (use an IANA name such as America/New_York).");
            if (zone is null) return (null, text);

            if (hours.TryGetProperty("always", out var always) && always.ValueKind == JsonValueKind.True)
                return (OpeningHours.AlwaysOpen(zone), text);
            if (hours.TryGetProperty("byAppointment", out var appointment) && appointment.ValueKind == JsonValueKind.True)
                return (OpeningHours.Appointment(zone), text);
            if (!hours.TryGetProperty("weekly", out var weekly) || weekly.ValueKind != JsonValueKind.Array || weekly.GetArrayLength() == 0)
                return (Fail<OpeningHours>("hours needs \"always\": true, \"byAppointment\": true, or a non-empty \"weekly\" list"), text);
            return (ReadWindows(weekly, zone), text);
        }

        private OpeningHours? ReadWindows(JsonElement weekly, TimeZoneInfo zone)
        {
            var windows = new List<WeeklyWindow>();
            var i = 0;
            foreach (var w in weekly.EnumerateArray())
            {
                var at = $"hours.weekly[{i++}]";
                var days = new List<DayOfWeek>();
                if (w.ValueKind != JsonValueKind.Object || !w.TryGetProperty("days", out var d) || d.ValueKind != JsonValueKind.Array)
                {
                    errors.Add($"{Where}: {at} needs days, from and to.");
                    continue;
                }
                foreach (var day in d.EnumerateArray())
                {
                    if (day.ValueKind == JsonValueKind.String && Days.TryGetValue(day.GetString()!, out var named)) days.AddRange(named);
                    else errors.Add($"{Where}: {at}.days: \"{day}\" is not one of {string.Join(", ", Days.Keys)}.");
                }
                var from = Time(w, "from", at);
                var to = Time(w, "to", at);
                if (days.Count > 0 && from is not null && to is not null)
                    windows.Add(new WeeklyWindow(days.Distinct().ToList(), from.Value, to.Value));
            }
            return OpeningHours.WeeklyWindows(zone, windows);
        }

        private TimeOnly? Time(JsonElement w, string name, string at)
        {
            if (w.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && TryTime(v.GetString(), out var time))
                return time;
            errors.Add($"{Where}: {at}.{name} must be a time like \"08:00\" (24-hour).");
            return null;
        }

        private string? Text(JsonElement parent, string name, int max, string? label = null)
        {
            var value = Optional(parent, name, max, label);
            if (value is null) errors.Add($"{Where}: {label ?? name} is required.");
            return value;
        }

        private string? Optional(JsonElement parent, string name, int max, string? label = null)
        {
            if (!parent.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
            {
                errors.Add($"{Where}: {label ?? name} must be a non-empty string.");
                return null;
            }
            var s = v.GetString()!.Trim();
            if (s.Length > max) errors.Add($"{Where}: {label ?? name} is longer than {max} characters.");
            return s;
        }

        private T? Fail<T>(string message)
        {
            errors.Add($"{Where}: {message}.");
            return default;
        }
    }
}
