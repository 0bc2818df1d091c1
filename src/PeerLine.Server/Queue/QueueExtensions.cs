namespace PeerLine.Server.Queue;

public static class QueueExtensions
{
    public static IServiceCollection AddQueue(this IServiceCollection services)
    {
        services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.DefaultCapacity <= o.MaxCapacity, "Queue:DefaultCapacity must not exceed Queue:MaxCapacity.")
            .ValidateOnStart();
        services.AddSingleton<QueueReader>();
        services.AddSingleton<OfferDispatcher>();
        services.AddSingleton<QueueNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueNotifier>());
        services.AddSingleton<QueueSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueSweeper>());
        services.AddSingleton<IntakeService>();
        services.AddSingleton<ShiftService>();
        services.AddSingleton<ClaimService>();
        services.AddSingleton<HandoverService>();
        return services;
    }
}
