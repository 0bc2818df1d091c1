using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Staff;
using PeerLine.Tests.Infrastructure;

namespace PeerLine.Tests.Audit;

/// <summary>Intent steps the audit tests share: a whole session through the queue, an export, a verification.</summary>
public static class AuditSteps
{
    /// <summary>Request, claim, share a resource, close with a disposition: the events of one ordinary session.</summary>
    public static async Task<string> SupportedSessionAsync(
        this PeerLineApp app, string supporterLogin, string disposition = Dispositions.ReferredTier3)
    {
        await using var supporter = await app.SupporterOnShiftAsync(supporterLogin, create: !await app.HasStaffAsync(supporterLogin));
        await using var caller = await app.RequestSupportAsync(Topics.PatientDeath, Priorities.Soon);
        var view = await supporter.ClaimNextAsync().Within();
        await supporter.ShareResourceAsync(view.SessionId, ResourceKinds.PhysicianSupportLine).Within();
        await supporter.CloseAsync(view.SessionId, disposition).Within();
        await supporter.EndShiftAsync().Within();
        return view.SessionId;
    }

    public static async Task<bool> HasStaffAsync(this PeerLineApp app, string login) =>
        (await app.Services.GetRequiredService<StaffAccounts>().ListAsync()).Any(a => a.Login == login);

    /// <summary>The export as the CLI command writes it (same service), as lines.</summary>
    public static async Task<List<string>> ExportLinesAsync(this PeerLineApp app)
    {
        using var buffer = new MemoryStream();
        await app.Services.GetRequiredService<AuditExport>().WriteAsync(buffer, "cli", null, CancellationToken.None);
        return Encoding.UTF8.GetString(buffer.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    public static string AuditPublicKey(this PeerLineApp app) => Convert.ToBase64String(app.Services.GetRequiredService<AuditKey>().PublicKey);

    /// <summary><c>peerline audit verify FILE --key KEY</c> on these lines.</summary>
    public static async Task<(int Exit, string Out, string Err)> VerifyAsync(IEnumerable<string> lines, string key)
    {
        var file = Path.Combine(Path.GetTempPath(), "peerline-tests", Guid.NewGuid().ToString("N") + ".jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllLinesAsync(file, lines);
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var exit = await PeerLine.Cli.Cli.RunAsync(["audit", "verify", file, "--key", key], new StringReader(""), stdout, stderr);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally { File.Delete(file); }
    }

    public static async Task<HttpClient> AuditorAsync(this PeerLineApp app, string login = "audra")
    {
        if (!await app.HasStaffAsync(login)) await app.CreateStaffAsync(login, StaffRoles.Auditor);
        return await app.SignedInHttpAsync(login);
    }

    public static async Task<List<AuditEventView>> EventsAsync(this HttpClient auditor, string query = "")
    {
        var page = await auditor.GetFromJsonAsync<AuditEventPage>("/api/audit/events?limit=500" + query);
        return page!.Events.ToList();
    }
}
