using System.CommandLine;

namespace EdgeVision.Daemon.Diagnostics;

/// <summary>
/// <c>edgevisiond --bench-viewer [--bench-seconds 10] [--bench-rounds 3] [--bench-source-fps 20] [--bench-out docs/BENCHMARKS.md]</c>,
/// parsed with System.CommandLine into <see cref="ViewerBenchSettings"/>.
/// </summary>
public static class ViewerBenchCommand
{
    public const string Flag = "--bench-viewer";

    public static Task<int> RunAsync(string[] args)
    {
        var seconds = BenchOptions.Seconds(10, 1, minInclusive: true, 600);
        var rounds = BenchOptions.WholeNumber("--bench-rounds", "rounds, scenarios round-robin", 3, 1, 20);
        var sourceFps = BenchOptions.WholeNumber("--bench-source-fps", "frames per second of each demo source", 20, 1, 60);
        var output = BenchOptions.Output();
        var command = new RootCommand("What one viewer of eight sources costs the daemon; prints a Markdown section")
        {
            new Option<bool>(Flag), seconds, rounds, sourceFps, output,
        };
        command.SetAction((parsed, _) => ViewerBenchmark.RunAsync(new ViewerBenchSettings(
            parsed.GetValue(seconds), parsed.GetValue(rounds), parsed.GetValue(sourceFps), parsed.GetValue(output))));
        return BenchOptions.InvokeAsync(command, "bench-viewer", args);
    }
}

/// <summary>What one <c>--bench-viewer</c> run measures and where it writes.</summary>
public sealed record ViewerBenchSettings(double Seconds, int Rounds, int SourceFps, string? Output);
