using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PeerLine.Protocol.Wire;
using PeerLine.Server.Audit;
using PeerLine.Server.Storage;

namespace PeerLine.Server.Staff;

public static class StaffAuthExtensions
{
    private const string CookieOrBearer = "cookie-or-bearer";
    public const string LoginRateLimit = "login";

    /// <summary>Identity stores, the Argon2id hasher and the rules for staff passwords; shared by the server and its admin commands.</summary>
    public static IServiceCollection AddStaffAccounts(this IServiceCollection services)
    {
        services.AddOptions<PasswordHashingOptions>().BindConfiguration(PasswordHashingOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StaffAuthOptions>().BindConfiguration(StaffAuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPasswordHasher<StaffUser>, Argon2idPasswordHasher>();
        services.AddIdentityCore<StaffUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PeerLineDb>()
            .AddSignInManager();
        services.AddOptions<IdentityOptions>().Configure<IOptions<StaffAuthOptions>>((o, auth) =>
        {
            o.Password.RequiredLength = auth.Value.MinPasswordLength;
            o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = false;
            o.Password.RequiredUniqueChars = 4;
            o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._";
            o.Lockout.MaxFailedAccessAttempts = auth.Value.MaxFailedLogins;
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(auth.Value.LockoutMinutes);
        });
        services.AddSingleton<StaffAccounts>();
        return services;
    }

    /// <summary>Cookie for browsers (HttpOnly, SameSite=Strict), short-lived bearer token for the .NET client.</summary>
    public static IServiceCollection AddStaffAuth(this IServiceCollection services)
    {
        services.AddStaffAccounts();
        services.AddAuthentication(CookieOrBearer)
            .AddPolicyScheme(CookieOrBearer, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 || IsHubTokenRequest(context.Request)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddCookie(IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme);

        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IOptions<StaffAuthOptions>>((o, auth) =>
        {
            o.Cookie.Name = "peerline-staff";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(auth.Value.CookieHours);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
            o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
        });
        services.AddOptions<BearerTokenOptions>(IdentityConstants.BearerScheme).Configure<IOptions<StaffAuthOptions>>((o, auth) =>
        {
            o.BearerTokenExpiration = TimeSpan.FromMinutes(auth.Value.TokenMinutes);
            o.RefreshTokenExpiration = TimeSpan.FromMinutes(auth.Value.TokenMinutes * 4);
            // WebSockets cannot carry headers from browsers: SignalR sends the token as access_token, which is read
            // here and nowhere else. Request URLs are never logged (see Logging/).
            o.Events.OnMessageReceived = c =>
            {
                if (IsHubTokenRequest(c.Request)) c.Token = c.Request.Query["access_token"];
                return Task.CompletedTask;
            };
        });

        services.AddScoped<IClaimsTransformation, CurrentStaffCheck>();
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.Answering, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Supporter, StaffRoles.Lead))
            .AddPolicy(StaffPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Admin))
            .AddPolicy(StaffPolicies.Auditing, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Auditor))
            .AddPolicy(StaffPolicies.ProgramMetrics, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Lead, StaffRoles.Auditor));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, ct) =>
            {
                if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == LoginRateLimit)
                    context.HttpContext.RequestServices.GetRequiredService<LoginThrottleTally>().Add();
                return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(new ErrorBody(ErrorCodes.RateLimited), ct));
            };
            o.AddPolicy(LoginRateLimit, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<StaffAuthOptions>>().Value.LoginsPerMinute;
                // One shared bucket: partitioning by client address would mean handling client addresses.
                return RateLimitPartition.GetFixedWindowLimiter("all", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });
        return services;
    }

    private static bool IsHubTokenRequest(HttpRequest request) =>
        request.Path.StartsWithSegments(HubRoutes.Staff) && request.Query.ContainsKey("access_token");
}
