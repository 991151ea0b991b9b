using System.Globalization;

namespace EdgeVision.Tools.Bench;

/// <summary>What one <c>edgevision bench</c> run measures and how long it tries (bound by <see cref="Verbs.BenchVerb"/>).</summary>
public sealed record BenchSettings
{
    public required IReadOnlyList<string> Models { get; init; }
    public required IReadOnlyList<int> Batches { get; init; }
    public required int Threads { get; init; }
    public required int Runs { get; init; }
    public required double RunSeconds { get; init; }
    public required int WarmUpIterations { get; init; }
    public required int MatMulSize { get; init; }
    public required int MatMulRepetitions { get; init; }
    public required int FrameWidth { get; init; }
    public required int FrameHeight { get; init; }
    public required string Output { get; init; }
    public required bool Quick { get; init; }

    /// <summary>
    /// ORT's intra-op threads busy-wait between runs. On by default here, because a benchmark runs back to back and
    /// pipelines (b) and (c) keep their libraries' defaults; the daemon's paced frame loop turns it off
    /// (<c>Inference:AllowSpinning</c>).
    /// </summary>
    public required bool Spin { get; init; }

    public static IReadOnlyList<string> KnownModels { get; } = ["resnet18", "resnet20"];

    /// <summary>What <see cref="BenchTimer"/> needs of these settings for one pipeline cell.</summary>
    public BenchTimer.Plan Timing => new(Runs, RunSeconds, WarmUpIterations);

    /// <summary>The command line that reproduces this run, every setting spelled out.</summary>
    public string CommandLine() => string.Join(' ',
        "edgevision bench",
        Quick ? "--quick" : null,
        $"--models {string.Join(',', Models)}",
        $"--batches {string.Join(',', Batches)}",
        $"--threads {Threads}",
        $"--runs {Runs}",
        $"--run-seconds {RunSeconds.ToString(CultureInfo.InvariantCulture)}",
        $"--warmup {WarmUpIterations}",
        $"--matmul {MatMulSize}",
        $"--matmul-reps {MatMulRepetitions}",
        $"--frame {FrameWidth}x{FrameHeight}",
        $"--spin {(Spin ? "on" : "off")}",
        $"--output {Output}").Replace("  ", " ");
}
