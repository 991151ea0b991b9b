using System.Globalization;
using EdgeVision.Tools.Bench;
using EdgeVision.Tools.Cli;
using Spectre.Console;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision bench</c>: frame-to-top-5 cost of the engine against ORT-sample and OpenCV DNN feeding.</summary>
public sealed class BenchCommand : IToolCommand
{
    public string Name => "bench";
    public string Summary => "measure frame→top-5 cost (engine vs ORT sample vs OpenCV DNN) and the fp32 peak; writes docs/BENCHMARKS.md";
    public string Usage => """
        edgevision bench [--quick] [--models resnet18,resnet20] [--batches 1,8] [--threads 2] [--runs 5]
                         [--run-seconds 1] [--warmup 3] [--matmul 2048] [--matmul-reps 10] [--frame 1280x720]
                         [--output docs/BENCHMARKS.md]

          --quick        CI smoke settings: batches 1,2, 3 short runs, 256² MatMul (numbers are not meaningful)
          --models       resnet18 (224², 1000 classes) and/or resnet20 (CIFAR 32², 10 classes); random weights
          --batches      batch sizes to measure (1..64)
          --threads      intra-op threads for every runtime (default 2)
          --runs         timed runs per cell; the table shows the median
          --run-seconds  minimum length of one timed run
          --warmup       untimed iterations before timing
          --matmul       size n of the n×n·n×n MatMul that measures the fp32 peak
          --matmul-reps  timed MatMul repetitions
          --frame        camera frame size fed to every pipeline
          --output       markdown file; this benchmark's section is replaced, others are kept
        """;

    public Task<int> RunAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        var settings = BenchSettings.Parse(args);
        args.EnsureAllUsed();

        var report = new BenchRunner(settings, line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]")).Run(cancellationToken);

        var table = new Table().Title($"frame {settings.FrameWidth}×{settings.FrameHeight} → top-5, {settings.Threads} threads, peak {report.Peak.MedianGflops:0.0} GFLOP/s");
        foreach (var column in new[] { "model", "batch", "pipeline", "ms/frame", "frames/s", "GFLOP/s", "of peak" })
            table.AddColumn(column);
        foreach (var row in report.Rows)
        {
            table.AddRow(row.Model, row.Batch.ToString(CultureInfo.InvariantCulture), row.Pipeline,
                (row.SecondsPerFrame * 1e3).ToString("0.000", CultureInfo.InvariantCulture),
                row.FramesPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                row.Gflops.ToString("0.0", CultureInfo.InvariantCulture),
                (row.Gflops / report.Peak.MedianGflops).ToString("P0", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        foreach (var target in BenchMarkdown.Targets(report)) AnsiConsole.WriteLine(target.Replace("**", ""));

        BenchMarkdown.Write(settings.Output, BenchMarkdown.Section(report));
        AnsiConsole.MarkupLineInterpolated($"wrote [bold]{settings.Output}[/]");
        return Task.FromResult(0);
    }
}
