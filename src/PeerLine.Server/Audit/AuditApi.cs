using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Staff;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Audit;

/// <summary>One event as the compliance view lists it: its seq, coarsened time, kind and coded fields.</summary>
public sealed record AuditEventView(long Seq, DateTimeOffset At, string Kind, IReadOnlyDictionary<string, object> Fields);

/// <param name="TimeResolutionMinutes">Each event's time stands for the span from it to this many minutes later.</param>
public sealed record AuditEventPage(IReadOnlyList<AuditEventView> Events, long? Next, int TimeResolutionMinutes);

/// <summary>The compliance API (auditor role): events by time range and kind, integrity status, the export.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(StaffPolicies.Auditing);

        audit.MapGet("/events", ListAsync)
            .WithSummary("Audit events of periods that have ended, oldest first: optional from/to (ISO times; from is rounded down to "
                + "the time resolution, to is exclusive), kind, after (a seq, for the next page) and limit.");

        audit.MapGet("/kinds", () => TypedResults.Ok(AuditKinds.All))
            .WithSummary("The closed set of audit event kinds.");

        audit.MapGet("/integrity", (AuditIntegrity integrity, CancellationToken ct) => integrity.CheckAsync(ct))
            .WithSummary("Whether the stored trail verifies, up to which signed checkpoint, and the audit public key.");

        audit.MapGet("/export", async (HttpContext context, AuditExport export, TimeProvider time) =>
            {
                var day = time.GetUtcNow().ToString("yyyyMMdd", CultureInfo.InvariantCulture);
                context.Response.ContentType = "application/x-ndjson";
                context.Response.Headers.ContentDisposition = $"attachment; filename=\"peerline-audit-{day}.jsonl\"";
                context.Response.Headers.CacheControl = "no-store";
                await export.WriteAsync(context.Response.Body, "api", context.User.FindFirstValue(ClaimTypes.NameIdentifier), context.RequestAborted);
            })
            .WithSummary("Download the whole trail with its checkpoints (JSON lines); verify with `peerline audit verify`.");
        return app;
    }

    private static async Task<Results<Ok<AuditEventPage>, BadRequest<ErrorBody>>> ListAsync(
        string? from, string? to, string? kind, long? after, int? limit,
        IDbContextFactory<PeerLineDb> dbs, AuditTrail trail, IOptions<AuditOptions> options, CancellationToken ct)
    {
        var invalid = TypedResults.BadRequest(new ErrorBody(ErrorCodes.InvalidArgument));
        if (!TryTime(from, out var fromMs) || !TryTime(to, out var toMs)) return invalid;
        // Stored times are rounded down: an event in the hour that holds "from" may have happened after it.
        var step = options.Value.TimeResolutionMinutes * 60_000L;
        if (fromMs is { } exact) fromMs = exact - (exact % step + step) % step;
        if (kind is not null && !AuditKinds.All.Contains(kind)) return invalid;
        var take = Math.Clamp(limit ?? 100, 1, options.Value.MaxPageSize);

        await using var db = await dbs.CreateDbContextAsync(ct);
        var shownBefore = trail.ShownBefore();
        var query = db.AuditEvents.AsNoTracking().Where(r => r.Seq > (after ?? 0) && r.At < shownBefore);
        if (fromMs is { } f) query = query.Where(r => r.At >= f);
        if (toMs is { } t) query = query.Where(r => r.At < t);
        if (kind is not null) query = query.Where(r => r.Kind == kind);
        var rows = await query.OrderBy(r => r.Seq).Take(take + 1).ToListAsync(ct);
        var events = rows.Take(take).Select(AuditTrail.ToRecord).Select(r => new AuditEventView(r.Seq, r.At, r.Kind, r.Fields)).ToList();
        return TypedResults.Ok(new AuditEventPage(events, rows.Count > take ? events[^1].Seq : null, options.Value.TimeResolutionMinutes));
    }

    private static bool TryTime(string? text, out long? ms)
    {
        ms = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return false;
        ms = t.ToUnixTimeMilliseconds();
        return true;
    }
}
