namespace PeerLine.Server.Audit;

public static class AuditExtensions
{
    /// <summary>The trail, its key and export; shared by the server and its admin commands.</summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AuditKey>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<AuditExport>();
        return services;
    }

    /// <summary>The server's part: the checkpointer, the integrity check of the compliance view, the throttle tally, the hourly request counts.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddAuditTrail();
        services.AddSingleton<AuditIntegrity>();
        services.AddSingleton<LoginThrottleTally>();
        services.AddSingleton<RequestCounter>();
        services.AddSingleton<HourlyRequestCounts>();
        services.AddSingleton<AuditCheckpointer>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditCheckpointer>());
        return services;
    }
}
