using System.Globalization;
using EdgeVision.Tools.Bench;
using Spectre.Console;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision bench</c>: frame-to-top-5 cost of the engine against ORT-sample and OpenCV DNN feeding.</summary>
public static class BenchCommand
{
    public static int Run(BenchSettings settings, CancellationToken cancellationToken)
    {

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
        return 0;
    }
}
