using System.Buffers.Text;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Hosting;
using PeerLine.Server.Staff;

namespace PeerLine.Server.Roster;

/// <summary>REST: the roster key and revocations (public), and a supporter device's key enrolment.</summary>
public static class RosterApi
{
    public sealed record RosterInfo(string PublicKey, IReadOnlyList<string> RevokedKeyIds);
    public sealed record DeviceKeyUpload(string PublicKey);
    public sealed record DeviceKeyAnswer(string KeyId, string Status, string? Certificate);

    public static IServiceCollection AddRoster(this IServiceCollection services)
    {
        services.AddOptions<RosterOptions>().BindConfiguration(RosterOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.Mode == RosterMode.Server || IsPublicKey(o.PublicKey),
                "Roster:PublicKey must be a base64 Ed25519 public key in offline mode.")
            .ValidateOnStart();
        services.AddSingleton<IRosterAuthority>(sp => sp.GetRequiredService<IOptions<RosterOptions>>().Value.Mode == RosterMode.Offline
            ? ActivatorUtilities.CreateInstance<OfflineRoster>(sp)
            : ActivatorUtilities.CreateInstance<RosterKeyStore>(sp));
        services.AddSingleton<DeviceKeyService>();
        return services;
    }

    public static IEndpointRouteBuilder MapRosterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/roster", async (IRosterAuthority roster, DeviceKeyService keys, CancellationToken ct) =>
                TypedResults.Ok(new RosterInfo(Convert.ToBase64String(roster.PublicKey), await keys.RevokedKeyIdsAsync(ct))))
            .WithTags("Roster").WithSummary("The roster public key (pin it out of band) and the revoked device key ids.");

        var device = app.MapGroup("/api/staff/device-key").WithTags("Roster").RequireAuthorization(StaffPolicies.Answering);

        device.MapPost("/", async Task<Results<Ok<DeviceKeyAnswer>, BadRequest, Conflict<ErrorBody>, ForbidHttpResult>> (
                DeviceKeyUpload body, ClaimsPrincipal user, DeviceKeyService keys, StaffAccounts accounts, CancellationToken ct) =>
            {
                if (!TryKey(body?.PublicKey, out var key)) return TypedResults.BadRequest();
                if (!await accounts.IsActiveAsync(UserId(user))) return TypedResults.Forbid();
                try
                {
                    return TypedResults.Ok(Answer(await keys.EnrollAsync(UserId(user), key, ct)));
                }
                catch (PeerLineException e)
                {
                    // The key is enrolled under another login: refused without saying whose.
                    return TypedResults.Conflict(new ErrorBody(e.Code));
                }
            })
            .WithSummary("Enrol this device's X25519 public key; it awaits certification by an admin.");

        device.MapGet("/{publicKey}", async Task<Results<Ok<DeviceKeyAnswer>, NotFound, BadRequest, ForbidHttpResult>> (
                string publicKey, ClaimsPrincipal user, DeviceKeyService keys, StaffAccounts accounts, CancellationToken ct) =>
            {
                if (!TryKey(Uri.UnescapeDataString(publicKey), out var key)) return TypedResults.BadRequest();
                if (!await accounts.IsActiveAsync(UserId(user))) return TypedResults.Forbid();
                var status = await keys.StatusAsync(UserId(user), key, ct);
                return status is null ? TypedResults.NotFound() : TypedResults.Ok(Answer(status));
            })
            .WithSummary("The certification status of one of this supporter's device keys (base64url), with its certificate once certified.");

        return app;
    }

    private static bool IsPublicKey(string? base64)
    {
        try { return base64 is not null && Convert.FromBase64String(base64).Length == 32; }
        catch (FormatException) { return false; }
    }

    private static DeviceKeyAnswer Answer(DeviceKeyService.DeviceKeyStatus s) =>
        new(s.KeyId, s.Status, s.Certificate is null ? null : Convert.ToBase64String(s.Certificate));

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier)!;

    private static bool TryKey(string? text, out byte[] key)
    {
        key = [];
        if (string.IsNullOrEmpty(text)) return false;
        try { key = Base64Url.DecodeFromChars(text.Replace('+', '-').Replace('/', '_').TrimEnd('=')); }
        catch (FormatException) { return false; }
        return key.Length == 32;
    }
}
