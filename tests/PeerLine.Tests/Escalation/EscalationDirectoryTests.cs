using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Escalation;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Escalation;

/// <summary>The shipped directory, its checks at start, opening hours, and GET /api/directory.</summary>
public sealed class EscalationDirectoryTests()
    : AppScenario(new PeerLineApp(time: new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T14:00:00Z"))))
{
    private static string Shipped => Path.Combine(AppContext.BaseDirectory, "directory.json");

    [Fact]
    public void ShippedDirectory_IsValid_AndHoldsTheBriefsResources()
    {
        var (entries, errors) = DirectoryFile.Load(Shipped);
        Assert.Empty(errors);
        var byId = entries!.ToDictionary(e => e.Id);

        Assert.True(byId["988"].Crisis);
        Assert.Equal("988", byId["988"].Contact.Phone);
        Assert.Equal("988", byId["988"].Contact.Text);
        Assert.Equal(HoursKinds.Always, byId["988"].Hours.Kind);
        var psl = byId["psl"];
        Assert.Equal("1-888-409-0141", psl.Contact.Phone);
        Assert.Equal("America/New_York", psl.Hours.Zone.Id);
        Assert.Equal(new TimeOnly(8, 0), psl.Hours.Windows.Single().From);
        Assert.Equal(new TimeOnly(1, 0), psl.Hours.Windows.Single().To);
        Assert.Equal(7, psl.Hours.Windows.Single().Days.Count);
        Assert.Equal(3, byId["eap"].Tier);
        Assert.Equal(3, byId["pvp"].Tier);
        // Every program of the seeds is there, with a kind the server can record.
        Assert.Superset(
            new HashSet<string>
            {
                "peer-mentoring", "coaching", "balint-group", "schwartz-rounds", "medical-improv", "support-group", "opt-out-therapy",
            },
            entries!.Select(e => e.Kind).ToHashSet());
        Assert.All(entries!, e => Assert.Contains(e.Kind, ResourceKinds.All));
    }

    [Theory]
    [InlineData("2026-11-25T13:00:00Z", true)]   // 08:00 EST: opens
    [InlineData("2026-11-25T12:59:00Z", false)]  // 07:59 EST
    [InlineData("2026-11-26T05:30:00Z", true)]   // 00:30 EST: the tail of the evening's window
    [InlineData("2026-11-26T06:00:00Z", false)]  // 01:00 EST: closed
    [InlineData("2026-07-01T12:30:00Z", true)]   // 08:30 EDT in summer
    [InlineData("2026-07-01T11:30:00Z", false)]  // 07:30 EDT
    public void PhysicianSupportLine_OpenEightToOneEastern_AcrossMidnightAndDaylightSaving(string at, bool open)
    {
        var psl = DirectoryFile.Load(Shipped).Entries!.Single(e => e.Id == "psl");
        Assert.Equal(open, psl.Hours.IsOpen(DateTimeOffset.Parse(at)));
    }

    [Fact]
    public void WeekdayWindow_TailAfterMidnight_BelongsToThePreviousDay()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var fridayNights = OpeningHours.WeeklyWindows(zone, [new WeeklyWindow([DayOfWeek.Friday], new TimeOnly(20, 0), new TimeOnly(2, 0))]);
        Assert.True(fridayNights.IsOpen(DateTimeOffset.Parse("2026-11-28T06:30:00Z")));  // Saturday 01:30 EST
        Assert.False(fridayNights.IsOpen(DateTimeOffset.Parse("2026-11-29T06:30:00Z"))); // Sunday 01:30 EST
        Assert.Null(OpeningHours.Appointment(zone).IsOpen(DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData("""{"entries":[]}""", "\"entries\" is empty")]
    [InlineData("""
        {"entries":[{"id":"x","name":"X","kind":"hotline","tier":2,"crisis":false,"contact":{"phone":"123"},
          "hours":{"timeZone":"UTC","always":true,"text":"t"},"cost":"c","confidentiality":"c","summary":"s"}]}
        """, "kind \"hotline\" is not one of")]
    [InlineData("""
        {"entries":[{"id":"x","name":"X","kind":"crisis-line","tier":4,"crisis":true,"contact":{"phone":"123"},
          "hours":{"timeZone":"UTC","always":true,"text":"t"},"cost":"c","confidentiality":"c","summary":"s"}]}
        """, "entries[0] (\"x\"): tier must be 1, 2 or 3")]
    [InlineData("""
        {"entries":[{"id":"x","name":"X","kind":"crisis-line","tier":3,"crisis":true,"contact":{},
          "hours":{"timeZone":"UTC","always":true,"text":"t"},"cost":"c","confidentiality":"c","summary":"s"}]}
        """, "contact needs at least one of")]
    [InlineData("""
        {"entries":[{"id":"x","name":"X","kind":"crisis-line","tier":3,"crisis":true,"contact":{"url":"http://example.org"},
          "hours":{"timeZone":"UTC","always":true,"text":"t"},"cost":"c","confidentiality":"c","summary":"s"}]}
        """, "contact.url must be an https:// address")]
    [InlineData("""
        {"entries":[{"id":"x","name":"X","kind":"crisis-line","tier":3,"crisis":true,"contact":{"phone":"123"},
          "hours":{"timeZone":"Eastern","always":true,"text":"t"},"cost":"c","confidentiality":"c","summary":"s"}]}
        """, "hours.timeZone \"Eastern\" is not a known time zone")]
    [InlineData("""
        {"entries":[{"id":"x","name":"X","kind":"coaching","tier":2,"crisis":false,"contact":{"phone":"123"},
          "hours":{"timeZone":"UTC","weekly":[{"days":["mon"],"from":"8am","to":"17:00"}],"text":"t"},
          "cost":"c","confidentiality":"c","summary":"s"}]}
        """, "hours.weekly[0].from must be a time like")]
    [InlineData("""
        {"entries":[{"id":"x","name":"X","kind":"coaching","tier":2,"crisis":false,"contact":{"phone":"123"},
          "hours":{"timeZone":"UTC","byAppointment":true,"text":"t"},"cost":"c","confidentiality":"c","summary":"s"}]}
        """, "at least one crisis resource must be open at all times")]
    [InlineData("""
        {"entries":[
          {"id":"x","name":"X","kind":"crisis-line","tier":3,"crisis":true,"contact":{"phone":"123"},
           "hours":{"timeZone":"UTC","always":true,"text":"t"},"cost":"c","confidentiality":"c","summary":"s"},
          {"id":"x","name":"Y","kind":"crisis-line","tier":3,"crisis":true,"contact":{"phone":"123"},
           "hours":{"timeZone":"UTC","always":true,"text":"t"},"cost":"c","confidentiality":"c","summary":"s"}]}
        """, "id \"x\" is used twice")]
    public void InvalidDirectory_EachProblemNamedWithItsEntryAndField(string json, string expected)
    {
        var (entries, errors) = DirectoryFile.Parse(JsonDocument.Parse(json).RootElement, "directory.json");
        Assert.Null(entries);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerWithAnInvalidDirectory_DoesNotStart_AndSaysWhy()
    {
        var bad = Path.Combine(App.DataDirectory, "bad-directory.json");
        Directory.CreateDirectory(App.DataDirectory);
        await File.WriteAllTextAsync(bad, """
            {"entries":[{"id":"psl","name":"PSL","kind":"physician-support-line","tier":3,"crisis":true,"contact":{"phone":"1-888-409-0141"},
              "hours":{"timeZone":"Eastern","always":true,"text":"t"},"cost":"c","confidentiality":"c","summary":"s"}]}
            """);
        var (exitCode, stderr) = await RunServerAsync("--Directory:File", bad);

        Assert.Equal(2, exitCode);
        Assert.Contains("entries[0] (\"psl\"): hours.timeZone \"Eastern\" is not a known time zone", stderr);
    }

    [Fact]
    public async Task ServerWithInvalidCoverageHours_DoesNotStart_AndSaysWhy()
    {
        var (exitCode, stderr) = await RunServerAsync("--Routing:Coverage:TimeZone", "Eastern", "--Routing:Coverage:Weekly:0:Days:0", "weekdays",
            "--Routing:Coverage:Weekly:0:From", "8am", "--Routing:Coverage:Weekly:0:To", "20:00");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Routing:Coverage:TimeZone \"Eastern\" is not a known time zone", stderr);
        Assert.Contains("Routing:Coverage:Weekly:0: From and To must be times like \"08:00\"", stderr);
    }

    /// <summary>The server executable with these extra arguments on its own data directory; it is expected to stop by itself.</summary>
    private async Task<(int ExitCode, string Stderr)> RunServerAsync(params string[] args)
    {
        Directory.CreateDirectory(App.DataDirectory);
        var server = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "PeerLine.Server.dll"),
            "--data", App.DataDirectory, "--urls", "http://127.0.0.1:0", .. args])
        { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(server)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, await stderr);
    }

    [Fact]
    public async Task DirectoryApi_OpenNowForTheServersTime_OrForAt()
    {
        using var http = App.Http();
        var now = await http.GetFromJsonAsync<JsonElement>("/api/directory"); // 14:00Z = 09:00 EST
        Assert.True(Entry(now, "psl").GetProperty("openNow").GetBoolean());
        Assert.True(Entry(now, "988").GetProperty("openNow").GetBoolean());
        Assert.Equal(JsonValueKind.Null, Entry(now, "eap").GetProperty("openNow").ValueKind);
        Assert.Equal("1-888-409-0141", Entry(now, "psl").GetProperty("contact").GetProperty("phone").GetString());
        Assert.Equal("8 am – 1 am Eastern, 7 days", Entry(now, "psl").GetProperty("hours").GetProperty("text").GetString());

        var night = await http.GetFromJsonAsync<JsonElement>("/api/directory?at=2026-11-26T07:00:00Z"); // 02:00 EST
        Assert.False(Entry(night, "psl").GetProperty("openNow").GetBoolean());
        Assert.True(Entry(night, "988").GetProperty("openNow").GetBoolean());

        var refused = await http.GetAsync("/api/directory?at=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(ErrorCodes.InvalidArgument, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private static JsonElement Entry(JsonElement directory, string id) =>
        directory.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
}
