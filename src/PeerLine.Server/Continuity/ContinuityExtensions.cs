namespace PeerLine.Server.Continuity;

public static class ContinuityExtensions
{
    public static IServiceCollection AddContinuity(this IServiceCollection services)
    {
        services.AddOptions<ContinuityOptions>().BindConfiguration(ContinuityOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReturnCodeKey>();
        services.AddSingleton<ContinuityService>();
        return services;
    }
}
