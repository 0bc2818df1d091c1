using PeerLine.Server.Staff;

namespace PeerLine.Server.Metrics;

public static class MetricsApi
{
    public static IServiceCollection AddProgramMetrics(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MetricsService>();
        services.AddSingleton<FeedbackService>();
        return services;
    }

    /// <summary>GET /api/metrics?weeks=N: weekly program metrics for leads and auditors, small counts withheld.</summary>
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/metrics", (int? weeks, MetricsService metrics, CancellationToken ct) => metrics.ReportAsync(weeks, ct))
            .RequireAuthorization(StaffPolicies.ProgramMetrics)
            .WithTags("Metrics")
            .WithSummary("Sessions, waits, abandonment, dispositions, resources offered and feedback per week; "
                + "counts 1–10 and what would reveal them are null.");
        return app;
    }
}
