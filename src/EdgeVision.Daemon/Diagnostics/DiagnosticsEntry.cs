namespace EdgeVision.Daemon.Diagnostics;

/// <summary>
/// The one door from Program into the diagnostics (benchmarks): nothing in the serving daemon refers to this
/// folder; the benchmarks drive the daemon from outside through its host builder and public counters.
/// </summary>
public static class DiagnosticsEntry
{
    /// <summary>Runs a benchmark when <paramref name="args"/> ask for one; null when they ask for the daemon.</summary>
    public static Task<int>? TryRun(string[] args)
    {
        if (args.Contains(DaemonBenchCommand.Flag)) return DaemonBenchCommand.RunAsync(args);
        if (args.Contains(ViewerBenchCommand.Flag)) return ViewerBenchCommand.RunAsync(args);
        return null;
    }
}
