using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace PeerLine.Server.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// SQLite in the data directory (WAL). Reads <c>--data DIR</c> from the command line through configuration key "data".
    /// </summary>
    public static IServiceCollection AddPeerLineStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = ReadStorageOptions(configuration);
        services.AddSingleton(storage);
        // Only the server's own user may read the database and the data-protection keys.
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        foreach (var dir in new[] { storage.DataDirectory, Path.Combine(storage.DataDirectory, "keys") })
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
            else Directory.CreateDirectory(dir, ownerOnly);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = storage.DatabasePath,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = storage.BusyTimeoutSeconds,
            Pooling = true,
        }.ToString();

        services.AddDbContextFactory<PeerLineDb>(o => o.UseSqlite(connectionString).AddInterceptors(new SqlitePragmas()));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PeerLineDb>>().CreateDbContext());

        services.AddSingleton<StorageMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageMaintenance>());

        services.AddDataProtection()
            .SetApplicationName("PeerLine")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(storage.DataDirectory, "keys")));
        return services;
    }

    public static StorageOptions ReadStorageOptions(IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var fromCommandLine = configuration["data"];
        if (!string.IsNullOrWhiteSpace(fromCommandLine)) storage.DataDirectory = fromCommandLine;
        storage.DataDirectory = Path.GetFullPath(storage.DataDirectory);
        return storage;
    }

    /// <summary>Applies migrations and switches the database to WAL before anything else touches it.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<PeerLineDb>>().CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
