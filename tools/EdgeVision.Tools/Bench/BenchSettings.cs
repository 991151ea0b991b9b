using System.Globalization;
using EdgeVision.Tools.Cli;

namespace EdgeVision.Tools.Bench;

/// <summary>What one <c>edgevision bench</c> run measures and how long it tries.</summary>
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

    public static BenchSettings Parse(ToolArguments args)
    {
        bool quick = args.Flag("quick");
        var models = (args.String("models") ?? string.Join(',', KnownModels)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var m in models)
        {
            if (!KnownModels.Contains(m)) throw new UsageException($"--models: '{m}' is not one of {string.Join(", ", KnownModels)}");
        }
        var batches = (args.String("batches") ?? (quick ? "1,2" : "1,8")).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(b => int.TryParse(b, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v is >= 1 and <= 64
                ? v
                : throw new UsageException($"--batches: '{b}' is not a batch size in 1..64")).Distinct().ToList();
        if (models.Length == 0 || batches.Count == 0) throw new UsageException("--models and --batches need at least one value");
        string frame = args.String("frame", "1280x720");
        var parts = frame.Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int fw) || !int.TryParse(parts[1], out int fh) || fw < 8 || fh < 8 || fw > 8192 || fh > 8192)
            throw new UsageException($"--frame must be WIDTHxHEIGHT (8..8192), not '{frame}'");
        return new BenchSettings
        {
            Quick = quick,
            Models = models,
            Batches = batches,
            Threads = args.Int("threads", 2, 1, 256),
            Runs = args.Int("runs", quick ? 3 : 5, 1, 100),
            RunSeconds = args.Double("run-seconds", quick ? 0.02 : 1.0, 0.0, 60.0),
            WarmUpIterations = args.Int("warmup", quick ? 1 : 3, 0, 1000),
            MatMulSize = args.Int("matmul", quick ? 256 : 2048, 16, 8192),
            MatMulRepetitions = args.Int("matmul-reps", quick ? 3 : 10, 1, 1000),
            FrameWidth = fw,
            FrameHeight = fh,
            Output = args.String("output", "docs/BENCHMARKS.md"),
            Spin = args.String("spin", "on") switch
            {
                "on" => true,
                "off" => false,
                var other => throw new UsageException($"--spin must be on or off, not '{other}'"),
            },
        };
    }

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
