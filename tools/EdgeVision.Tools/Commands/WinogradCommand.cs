using EdgeVision.Tools.Bench;
using EdgeVision.Tools.Cli;
using Spectre.Console;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision winograd</c>: whether a Winograd graph beats ORT's direct 3×3 convolution on this machine.</summary>
public sealed class WinogradCommand : IToolCommand
{
    public string Name => "winograd";
    public string Summary => "time ResNet's 3×3 layers as ORT's direct convolution and as a Winograd F(2,3) graph; writes docs/BENCHMARKS.md";
    public string Usage => """
        edgevision winograd [--batch 8] [--threads 2] [--seconds 2] [--output docs/BENCHMARKS.md]

          --batch    images per run (1..64)
          --threads  intra-op threads (default 2)
          --seconds  timed seconds per layer and algorithm
          --output   markdown file; this probe's section is replaced, others are kept
        """;

    public Task<int> RunAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        int batch = args.Int("batch", 8, 1, 64);
        int threads = args.Int("threads", 2, 1, 256);
        double seconds = args.Double("seconds", 2.0, 0.01, 60.0);
        string output = args.String("output", "docs/BENCHMARKS.md");
        args.EnsureAllUsed();

        var results = new List<WinogradProbe.Result>();
        foreach (var shape in WinogradProbe.ResNetShapes)
        {
            var r = WinogradProbe.Measure(shape, batch, threads, seconds, cancellationToken);
            AnsiConsole.WriteLine($"C={shape.Channels} {shape.Size}×{shape.Size}: direct {r.DirectMs:0.000} ms, Winograd graph {r.WinogradMs:0.000} ms ({r.DirectMs / r.WinogradMs:0.00}×), max |Δ| {r.MaxAbsDiff:0.0e0}");
            results.Add(r);
        }
        string command = $"edgevision winograd --batch {batch} --threads {threads} --seconds {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} --output {output}";
        BenchMarkdown.Write(output, WinogradProbe.Heading, WinogradProbe.Markdown(results, threads, command));
        AnsiConsole.MarkupLineInterpolated($"wrote [bold]{output}[/]");
        return Task.FromResult(0);
    }
}
