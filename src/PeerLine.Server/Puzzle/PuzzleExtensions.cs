namespace PeerLine.Server.Puzzle;

public static class PuzzleExtensions
{
    public static IServiceCollection AddPuzzle(this IServiceCollection services)
    {
        services.AddOptions<PuzzleOptions>().BindConfiguration(PuzzleOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.BaseBits <= o.MaxBits, "Puzzle:BaseBits must not exceed Puzzle:MaxBits.")
            .ValidateOnStart();
        services.AddSingleton<PuzzlePressure>();
        services.AddSingleton<PuzzleService>();
        return services;
    }
}
