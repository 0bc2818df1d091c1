using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;

namespace PeerLine.Server.Staff;

public static class StaffApi
{
    public static IEndpointRouteBuilder MapStaffApi(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/staff").WithTags("Staff");

        staff.MapPost("/login", (StaffLogin body, SignInManager<StaffUser> signIn, AuditTrail audit, ILoggerFactory logs) =>
                SignInAsync(body, signIn, IdentityConstants.ApplicationScheme, audit, logs))
            .RequireRateLimiting(StaffAuthExtensions.LoginRateLimit)
            .WithSummary("Sign in with a browser cookie (HttpOnly, SameSite=Strict).");

        staff.MapPost("/token", (StaffLogin body, SignInManager<StaffUser> signIn, AuditTrail audit, ILoggerFactory logs) =>
                SignInAsync(body, signIn, IdentityConstants.BearerScheme, audit, logs))
            .RequireRateLimiting(StaffAuthExtensions.LoginRateLimit)
            .Produces<AccessTokenResponse>()
            .WithSummary("Get a short-lived bearer token for the .NET client and the CLI.");

        staff.MapPost("/logout", async (HttpContext context) =>
            {
                await context.SignOutAsync(IdentityConstants.ApplicationScheme);
                return TypedResults.NoContent();
            })
            .WithSummary("End the browser session.");

        staff.MapGet("/me", Results<Ok<StaffIdentity>, UnauthorizedHttpResult> (ClaimsPrincipal user) =>
                user.Identity?.IsAuthenticated == true
                    ? TypedResults.Ok(new StaffIdentity(user.Identity.Name ?? "", user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList()))
                    : TypedResults.Unauthorized())
            .RequireAuthorization()
            .WithSummary("The signed-in staff member and roles.");

        return app;
    }

    private static async Task<IResult> SignInAsync(
        StaffLogin body, SignInManager<StaffUser> signIn, string scheme, AuditTrail audit, ILoggerFactory logs)
    {
        var logger = logs.CreateLogger(typeof(StaffApi));
        var refused = TypedResults.Json(new ErrorBody(ErrorCodes.InvalidCredentials), statusCode: StatusCodes.Status401Unauthorized);
        if (string.IsNullOrEmpty(body?.Login) || string.IsNullOrEmpty(body.Password)) return refused;

        var user = await signIn.UserManager.FindByNameAsync(body.Login);
        if (user is null || user.Disabled)
        {
            var reason = user is null ? "unknown" : "disabled";
            StaffLog.LoginRefused(logger, reason);
            await audit.RecordAsync(new StaffLoginFailed(reason, user?.Id));
            return refused;
        }

        signIn.AuthenticationScheme = scheme;
        var result = await signIn.PasswordSignInAsync(user, body.Password, isPersistent: false, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            var reason = result.IsLockedOut ? "locked-out" : "bad-password";
            StaffLog.LoginRefused(logger, reason);
            await audit.RecordAsync(new StaffLoginFailed(reason, user.Id));
            return refused;
        }
        var method = scheme == IdentityConstants.BearerScheme ? "token" : "cookie";
        StaffLog.LoggedIn(logger, method);
        await audit.RecordAsync(new StaffEvent(AuditKinds.StaffLogin, user.Id, "method", method));
        // The bearer handler has already written the token response; the cookie handler only set a header.
        return scheme == IdentityConstants.BearerScheme ? TypedResults.Empty : TypedResults.NoContent();
    }
}
