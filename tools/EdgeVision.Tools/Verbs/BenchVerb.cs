using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using EdgeVision.Tools.Bench;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Commands;

namespace EdgeVision.Tools.Verbs;

/// <summary>
/// <c>edgevision bench</c>: its options, bound into <see cref="BenchSettings"/>; <see cref="BenchCommand"/> does the work.
/// <c>--quick</c> changes the defaults of the others (CI smoke settings), so their factories look at it.
/// </summary>
public sealed class BenchVerb : Command
{
    private readonly Option<bool> _quick = CliOptions.Flag("--quick",
        "CI smoke settings: batches 1,2, 3 short runs, 256² MatMul (numbers are not meaningful); the defaults below are a full run's");
    private readonly Option<CommaList<string>> _models = CliOptions.List("--models",
        "resnet18 (224², 1000 classes) and/or resnet20 (CIFAR 32², 10 classes); random weights", [.. BenchSettings.KnownModels]);
    private readonly Option<CommaList<int>> _batches;
    private readonly Option<int> _threads = CliOptions.Int("--threads", "intra-op threads for every runtime", 2, 1, 256);
    private readonly Option<int> _runs;
    private readonly Option<double> _runSeconds;
    private readonly Option<int> _warmup;
    private readonly Option<int> _matmul;
    private readonly Option<int> _matmulReps;
    private readonly Option<FrameSize> _frame = Frame();
    private readonly Option<string> _output = CliOptions.String("--output", "markdown file; this benchmark's section is replaced, others are kept", "docs/BENCHMARKS.md", "path");
    private readonly Option<string> _spin = CliOptions.Choice("--spin",
        "ORT's intra-op threads busy-wait between runs (on, because a benchmark runs back to back; the daemon's paced loop turns it off)", "on", "on", "off");

    public BenchVerb() : base("bench", "measure frame→top-5 cost (engine vs ORT sample vs OpenCV DNN) and the fp32 peak; writes docs/BENCHMARKS.md")
    {
        _batches = Batches(_quick);
        _runs = CliOptions.Int("--runs", "timed runs per cell; the table shows the median (--quick: 3)", r => Quick(r) ? 3 : 5, 1, 100);
        _runSeconds = CliOptions.Double("--run-seconds", "minimum length of one timed run (--quick: 0.02)", r => Quick(r) ? 0.02 : 1.0, 0.0, 60.0);
        _warmup = CliOptions.Int("--warmup", "untimed iterations before timing (--quick: 1)", r => Quick(r) ? 1 : 3, 0, 1000);
        _matmul = CliOptions.Int("--matmul", "size n of the n×n·n×n MatMul that measures the fp32 peak (--quick: 256)", r => Quick(r) ? 256 : 2048, 16, 8192);
        _matmulReps = CliOptions.Int("--matmul-reps", "timed MatMul repetitions (--quick: 3)", r => Quick(r) ? 3 : 10, 1, 1000);
        foreach (Option option in new Option[] { _quick, _models, _batches, _threads, _runs, _runSeconds, _warmup, _matmul, _matmulReps, _frame, _output, _spin })
            Add(option);
        _models.CompletionSources.Add([.. BenchSettings.KnownModels]);
        _models.Validators.Add(r =>
        {
            var models = r.GetValueOrDefault<CommaList<string>>().Items;
            if (models.Count == 0) r.AddError("--models needs at least one value");
            foreach (string m in models.Where(m => !BenchSettings.KnownModels.Contains(m)))
                r.AddError($"--models: '{m}' is not one of {string.Join(", ", BenchSettings.KnownModels)}");
        });
        SetAction((parse, ct) => Task.FromResult(BenchCommand.Run(Bind(parse), ct)));
    }

    public BenchSettings Bind(ParseResult parse)
    {
        var (width, height) = parse.GetValue(_frame)!;
        return new BenchSettings
        {
            Quick = parse.GetValue(_quick),
            Models = parse.GetValue(_models)!.Items,
            Batches = parse.GetValue(_batches)!.Items,
            Threads = parse.GetValue(_threads),
            Runs = parse.GetValue(_runs),
            RunSeconds = parse.GetValue(_runSeconds),
            WarmUpIterations = parse.GetValue(_warmup),
            MatMulSize = parse.GetValue(_matmul),
            MatMulRepetitions = parse.GetValue(_matmulReps),
            FrameWidth = width,
            FrameHeight = height,
            Output = parse.GetValue(_output)!,
            Spin = parse.GetValue(_spin) == "on",
        };
    }

    /// <summary>Inside a default factory: whether --quick was given (false for help, which shows a full run's defaults).</summary>
    private bool Quick(SymbolResult r) => r.GetResult(_quick) is { } quick && quick.GetValueOrDefault<bool>();

    private static Option<CommaList<int>> Batches(Option<bool> quick) => new("--batches")
    {
        Description = "batch sizes to measure (1..64; --quick: 1,2)",
        HelpName = "n,n,…",
        DefaultValueFactory = r => new CommaList<int>(r.GetResult(quick) is { } q && q.GetValueOrDefault<bool>() ? [1, 2] : [1, 8]),
        CustomParser = r =>
        {
            var batches = new List<int>();
            foreach (string b in r.Tokens[0].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(b, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v is >= 1 and <= 64) batches.Add(v);
                else r.AddError($"--batches: '{b}' is not a batch size in 1..64");
            }
            if (batches.Count == 0) r.AddError("--batches needs at least one value");
            return new CommaList<int>([.. batches.Distinct()]);
        },
    };

    private static Option<FrameSize> Frame() => new("--frame")
    {
        Description = "camera frame size fed to every pipeline",
        HelpName = "WIDTHxHEIGHT",
        DefaultValueFactory = _ => new FrameSize(1280, 720),
        CustomParser = r =>
        {
            string frame = r.Tokens[0].Value;
            var parts = frame.Split('x');
            if (parts.Length == 2 && int.TryParse(parts[0], out int w) && int.TryParse(parts[1], out int h) && w is >= 8 and <= 8192 && h is >= 8 and <= 8192)
                return new FrameSize(w, h);
            r.AddError($"--frame must be WIDTHxHEIGHT (8..8192), not '{frame}'");
            return null;
        },
    };
}

/// <summary><c>--frame WIDTHxHEIGHT</c>, printed as typed.</summary>
public sealed record FrameSize(int Width, int Height)
{
    public override string ToString() => $"{Width}x{Height}";
}
