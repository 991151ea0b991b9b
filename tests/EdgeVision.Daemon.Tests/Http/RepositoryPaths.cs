namespace EdgeVision.Daemon.Tests.Http;

internal static class RepositoryPaths
{
    /// <summary>The checkout's root (where EdgeVision.sln is), found upwards from the test binaries.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EdgeVision.sln"))) return dir.FullName;
            }
            throw new DirectoryNotFoundException($"EdgeVision.sln not found above {AppContext.BaseDirectory}");
        }
    }
}
