using System.Globalization;
using PeerLine.Protocol.Audit;

namespace PeerLine.Cli.Audit;

/// <summary>
/// <c>peerline audit verify FILE --key KEY</c>: checks an export line by line with the audit public key (base64, as
/// printed by the server's <c>audit key</c>). Exit 0 when every record and checkpoint verifies; otherwise 1, naming
/// the first bad line and record.
/// </summary>
public static class AuditVerifyCommand
{
    public static async Task<int> RunAsync(string file, string key, TextWriter stdout, TextWriter stderr)
    {
        var publicKey = new byte[32];
        if (!Convert.TryFromBase64String(key.Trim(), publicKey, out var keyLength) || keyLength != publicKey.Length)
        {
            await stderr.WriteLineAsync("error: --key must be the base64 audit public key (32 bytes), as `audit key` prints it");
            return Cli.Usage;
        }
        if (!File.Exists(file))
        {
            await stderr.WriteLineAsync("error: no such file");
            return Cli.Usage;
        }

        var verifier = new AuditVerifier(publicKey);
        var lineNumber = 0;
        var checkpoints = 0;
        foreach (var line in File.ReadLines(file))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            if (AuditEncoding.TryParseLine(line, out var record, out var note, out var problem))
            {
                problem = record is not null ? verifier.Add(record) : verifier.AddCheckpoint(note!);
                if (record is null && problem is null) checkpoints++;
            }
            if (problem is not null)
            {
                var seq = record is not null ? $"record {record.Seq}" : $"after record {verifier.LastSeq}";
                await stderr.WriteLineAsync($"FAILED at line {lineNumber} ({seq}): {problem}");
                return Cli.Failed;
            }
        }
        if (verifier.Finish() is { } incomplete)
        {
            await stderr.WriteLineAsync($"FAILED at the end (line {lineNumber}): {incomplete}");
            return Cli.Failed;
        }
        var signedAt = verifier.LastCheckpoint!.SignedAt.UtcDateTime.ToString(AuditCheckpoint.TimeFormat, CultureInfo.InvariantCulture);
        await stdout.WriteLineAsync(
            $"verified {verifier.Records} records (seq {verifier.FirstSeq} to {verifier.LastSeq}) and {checkpoints} checkpoints; "
            + $"last checkpoint signed at {signedAt}");
        return Cli.Ok;
    }
}
