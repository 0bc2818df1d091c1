using Microsoft.EntityFrameworkCore;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Health;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = HealthStatuses.Alive }))
            .WithTags("Health").WithSummary("The process answers.");

        app.MapGet("/readyz", async (IDbContextFactory<PeerLineDb> dbs, CancellationToken ct) =>
            {
                await using var db = await dbs.CreateDbContextAsync(ct);
                return await db.Database.CanConnectAsync(ct)
                    ? Results.Ok(new { status = HealthStatuses.Ready })
                    : Results.Json(new { status = HealthStatuses.DatabaseUnreachable }, statusCode: StatusCodes.Status503ServiceUnavailable);
            })
            .WithTags("Health").WithSummary("The database is reachable.");

        app.MapGet("/api/version", () => TypedResults.Ok(new { version = ServerVersion.Current }))
            .WithTags("Health").WithSummary("The server version.");
        return app;
    }
}

public static class ServerVersion
{
    public static string Current { get; } =
        typeof(ServerVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
