using Microsoft.Extensions.Options;

namespace PeerLine.Server.Escalation;

public static class EscalationExtensions
{
    /// <summary>The directory (checked at start), the routing rules and crisis alerts.</summary>
    public static IServiceCollection AddEscalation(this IServiceCollection services)
    {
        services.AddEscalationDirectory();
        services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<RoutingOptions>, CoverageValidation>();
        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RoutingRules>();
        services.AddSingleton<CrisisAlerts>();
        services.AddSingleton<ResourceSharing>();
        return services;
    }

    /// <summary>Loads the directory now, so that a bad file stops the start with its list of problems on standard error.</summary>
    public static bool DirectoryIsValid(this IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<EscalationDirectory>();
            return true;
        }
        catch (InvalidDirectoryException e)
        {
            Console.Error.WriteLine(e.Message);
            return false;
        }
    }

    private sealed class CoverageValidation : IValidateOptions<RoutingOptions>
    {
        public ValidateOptionsResult Validate(string? name, RoutingOptions options) =>
            RoutingRules.Check(options.Coverage) is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
