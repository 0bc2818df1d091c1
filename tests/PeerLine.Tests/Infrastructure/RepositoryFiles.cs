namespace PeerLine.Tests.Infrastructure;

/// <summary>Files of this repository, found from the test assembly's folder upwards.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PeerLine.sln"))) return dir.FullName;
        throw new InvalidOperationException("PeerLine.sln not found above " + AppContext.BaseDirectory);
    }
}
