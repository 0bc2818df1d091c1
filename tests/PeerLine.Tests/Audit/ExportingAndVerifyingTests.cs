using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;
using PeerLine.Protocol.Audit;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Audit;

/// <summary>
/// The export and <c>peerline audit verify</c>: a genuine export verifies; editing, deleting, inserting or reordering
/// any one record is detected at that record's line.
/// </summary>
public sealed class ExportingAndVerifyingTests : AppScenario
{
    private const int Target = 6;

    [Fact]
    public async Task GenuineExport_WithCheckpointsInside_Verifies()
    {
        var lines = await TrailWithCheckpointsAsync();

        var result = await AuditSteps.VerifyAsync(lines, App.AuditPublicKey());

        Assert.True(result.Exit == 0, result.Err);
        Assert.Matches(@"^verified \d+ records \(seq 1 to \d+\) and [3-9] checkpoints", result.Out);
        Assert.StartsWith("{\"type\":\"checkpoint\"", lines[^1]);
    }

    [Fact]
    public async Task EditedRecord_DetectedAtThatRecord()
    {
        var lines = await TrailWithCheckpointsAsync();
        var at = LineOf(lines, Target);
        var record = JsonNode.Parse(lines[at])!;
        var fields = record["fields"]!.AsObject();
        var name = fields.First().Key;
        fields[name] = fields[name]!.GetValueKind() == JsonValueKind.Number ? 999 : "edited";
        lines[at] = record.ToJsonString();

        await AssertFailsAtAsync(lines, at, Target, "hash");
    }

    [Fact]
    public async Task DeletedRecord_DetectedWhereItWas()
    {
        var lines = await TrailWithCheckpointsAsync();
        var at = LineOf(lines, Target);
        lines.RemoveAt(at);

        await AssertFailsAtAsync(lines, at, Target + 1, $"expected seq {Target}");
    }

    [Fact]
    public async Task InsertedRecord_WellFormedAndChained_DetectedAtTheInsertion()
    {
        var lines = await TrailWithCheckpointsAsync();
        var at = LineOf(lines, Target);
        var before = Parse(lines[LineOf(lines, Target - 1)]);
        // A forger who knows the format and the hashes but not the audit key.
        var fields = new SortedDictionary<string, object>(StringComparer.Ordinal) { ["reason"] = "unknown" };
        var hash = AuditEncoding.HashOf(Target, before.At, AuditKinds.StaffLoginFailed, fields, before.Hash);
        using var forgerKey = Key.Create(SignatureAlgorithm.Ed25519);
        var forged = new AuditRecord(Target, before.At, AuditKinds.StaffLoginFailed, fields, before.Hash, hash,
            SignatureAlgorithm.Ed25519.Sign(forgerKey, AuditEncoding.SigningInput(hash)));
        lines.Insert(at, AuditEncoding.EventLine(forged));

        await AssertFailsAtAsync(lines, at, Target, "signature");
    }

    [Fact]
    public async Task ReorderedRecords_DetectedAtTheFirstOutOfPlace()
    {
        var lines = await TrailWithCheckpointsAsync();
        var at = LineOf(lines, Target);
        var next = LineOf(lines, Target + 1);
        (lines[at], lines[next]) = (lines[next], lines[at]);

        await AssertFailsAtAsync(lines, at, Target + 1, $"expected seq {Target}");
    }

    [Fact]
    public async Task TruncatedTailOrAnotherKey_Fails()
    {
        var lines = await TrailWithCheckpointsAsync();
        using var otherKey = Key.Create(SignatureAlgorithm.Ed25519);

        var other = await AuditSteps.VerifyAsync(lines, Convert.ToBase64String(otherKey.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
        var truncated = await AuditSteps.VerifyAsync(lines.Take(lines.Count - 1), App.AuditPublicKey());

        Assert.Equal(1, other.Exit);
        Assert.Contains("line 1 (record 1): the signature does not verify", other.Err);
        Assert.Equal(1, truncated.Exit);
        Assert.Contains("not covered by a signed checkpoint", truncated.Err);
    }

    [Fact]
    public async Task ServerCommands_ExportAndKey_AsScripted_VerifyWithTheCli()
    {
        await App.SupportedSessionAsync("sam");
        var data = App.DataDirectory;
        var file = Path.Combine(data, "export.jsonl");

        var key = await ServerCommand.RunAsync(null, "audit", "key", "--data", data);
        var export = await ServerCommand.RunAsync(null, "audit", "export", "--out", file, "--data", data);

        Assert.Equal(0, key.Exit);
        Assert.Equal(App.AuditPublicKey(), key.Out.Trim());
        Assert.True(export.Exit == 0, export.Err);
        var lines = await File.ReadAllLinesAsync(file);
        var verified = await AuditSteps.VerifyAsync(lines, key.Out.Trim());
        Assert.True(verified.Exit == 0, verified.Err);
        var last = lines.Where(l => l.StartsWith("{\"type\":\"event\"", StringComparison.Ordinal)).Select(Parse).Last();
        Assert.Equal(AuditKinds.ExportMade, last.Kind);
        Assert.Equal("cli", last.Code("via"));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task ExportThroughTheApi_AsAuditor_Verifies_AndIsItselfRecorded()
    {
        await App.SupportedSessionAsync("sam");
        using var auditor = await App.AuditorAsync();

        var response = await auditor.GetAsync("/api/audit/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var verified = await AuditSteps.VerifyAsync(lines, App.AuditPublicKey());
        Assert.True(verified.Exit == 0, verified.Err);
        var exportEvent = (await auditor.EventsAsync($"&kind={AuditKinds.ExportMade}")).Single();
        Assert.Equal("api", exportEvent.Fields["via"].ToString());
        Assert.True(exportEvent.Fields.ContainsKey("staff"));
    }

    [Fact]
    public async Task BadKeyOrMissingFile_Usage()
    {
        var stderr = new StringWriter();
        Task<int> Verify(params string[] args) => PeerLine.Cli.Cli.RunAsync(args, new StringReader(""), new StringWriter(), stderr);
        Assert.Equal(2, await Verify("audit", "verify", "/nonexistent/x.jsonl", "--key", App.AuditPublicKey()));
        Assert.Equal(2, await Verify("audit", "verify", "/nonexistent/x.jsonl", "--key", "not-base64!"));
        Assert.Equal(2, await Verify("audit", "verify", "/nonexistent/x.jsonl"));
    }

    /// <summary>Three sessions with a checkpoint signed after each, then the export (which signs the last one).</summary>
    private async Task<List<string>> TrailWithCheckpointsAsync()
    {
        var trail = App.Services.GetRequiredService<AuditTrail>();
        for (var i = 0; i < 3; i++)
        {
            await App.SupportedSessionAsync("sam");
            await trail.CheckpointAsync(CancellationToken.None);
        }
        var lines = await App.ExportLinesAsync();
        Assert.True(lines.Count(l => l.Contains("\"type\":\"event\"")) > Target + 1);
        return lines;
    }

    private static int LineOf(List<string> lines, long seq) =>
        lines.FindIndex(l => l.StartsWith("{\"type\":\"event\"", StringComparison.Ordinal) && Parse(l).Seq == seq);

    private static AuditRecord Parse(string line)
    {
        Assert.True(AuditEncoding.TryParseLine(line, out var record, out _, out var problem), problem);
        return record!;
    }

    private async Task AssertFailsAtAsync(List<string> lines, int index, long seq, string reason)
    {
        var result = await AuditSteps.VerifyAsync(lines, App.AuditPublicKey());
        Assert.Equal(1, result.Exit);
        Assert.StartsWith($"FAILED at line {index + 1} (record {seq}): ", result.Err);
        Assert.Contains(reason, result.Err);
    }
}
