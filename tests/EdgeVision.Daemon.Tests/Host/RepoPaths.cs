namespace EdgeVision.Daemon.Tests.Host;

/// <summary>Where the repository and the built daemon are, found from the test's own directory.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The daemon next to the tests (the project reference copies it with its runtimeconfig).</summary>
    public static string DaemonDll => Path.Combine(AppContext.BaseDirectory, "edgevisiond.dll");

    public static string ShippedModel => Path.Combine(Root, "models", "default.onnx");

    public static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeVision.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("EdgeVision.sln not found above " + AppContext.BaseDirectory);
    }
}
