using EdgeVision.Tools.Bench;
using EdgeVision.Tools.Verbs;
using Spectre.Console;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision winograd</c>: whether a Winograd graph beats ORT's direct 3×3 convolution on this machine.</summary>
public static class WinogradCommand
{
    public static int Run(WinogradArguments args, CancellationToken cancellationToken)
    {
        var (batch, threads, seconds, output) = (args.Batch, args.Threads, args.Seconds, args.Output);

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
        return 0;
    }
}
