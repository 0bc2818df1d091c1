using System.Security.Claims;
using PeerLine.Server.Staff;

namespace PeerLine.Server.Wellbeing;

public static class WellbeingApi
{
    public static IServiceCollection AddWellbeing(this IServiceCollection services)
    {
        services.AddOptions<WellbeingOptions>().BindConfiguration(WellbeingOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.ShiftWarningMinutes < o.MaxShiftMinutes, "Wellbeing:ShiftWarningMinutes must be less than Wellbeing:MaxShiftMinutes.")
            .ValidateOnStart();
        services.AddSingleton<WellbeingService>();
        services.AddHostedService<WellbeingMonitor>();
        return services;
    }

    /// <summary>GET /api/staff/wellbeing: the signed-in supporter's own shift and weekly minutes, and the limits.</summary>
    public static IEndpointRouteBuilder MapWellbeingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/staff/wellbeing", (ClaimsPrincipal user, WellbeingService wellbeing, CancellationToken ct) =>
                wellbeing.StatusAsync(user.FindFirstValue(ClaimTypes.NameIdentifier)!, ct))
            .RequireAuthorization(StaffPolicies.Answering)
            .WithTags("Staff").WithSummary("Your own minutes on this shift and in the last seven days, with the limits.");
        return app;
    }
}
