namespace EdgeVision.Daemon.Tests.Host;

/// <summary>The command line every in-process test daemon starts from, so the hosts differ only in what they add.</summary>
internal static class DaemonArguments
{
    /// <summary>
    /// The real host on a free loopback port, CPU inference, no window, warnings only, serving <paramref name="modelPath"/>
    /// from its directory; <paramref name="watchDebounceMs"/> null leaves the model file unwatched.
    /// </summary>
    public static List<string> InProcess(string contentRoot, string modelPath, int? watchDebounceMs) =>
    [
        "--contentRoot", contentRoot,
        "--Model:Path=" + modelPath,
        "--Model:Directory=" + Path.GetDirectoryName(modelPath),
        watchDebounceMs is { } ms ? $"--Model:WatchDebounceMs={ms}" : "--Model:Watch=false",
        "--Http:Port=0",
        "--Window:Enabled=false",
        "--Inference:Providers:0=CPU",
        "--Logging:LogLevel:Default=Warning",
    ];

    /// <summary>The dataset root, taught directory and feature cache as dataset/, taught/ and cache/ under <paramref name="directory"/>.</summary>
    public static string[] StateUnder(string directory) =>
    [
        "--Http:DatasetRoot=" + Path.Combine(directory, "dataset"),
        "--Teach:Directory=" + Path.Combine(directory, "taught"),
        "--Teach:CacheDirectory=" + Path.Combine(directory, "cache"),
    ];
}
