using System.CommandLine;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Commands;

namespace EdgeVision.Tools.Verbs;

/// <summary><c>edgevision winograd</c>: its options; <see cref="WinogradCommand"/> does the work.</summary>
public sealed class WinogradVerb : Command
{
    private readonly Option<int> _batch = CliOptions.Int("--batch", "images per run", 8, 1, 64);
    private readonly Option<int> _threads = CliOptions.Int("--threads", "intra-op threads", 2, 1, 256);
    private readonly Option<double> _seconds = CliOptions.Double("--seconds", "timed seconds per layer and algorithm", 2.0, 0.01, 60.0);
    private readonly Option<string> _output = CliOptions.String("--output", "markdown file; this probe's section is replaced, others are kept", "docs/BENCHMARKS.md", "path");

    public WinogradVerb() : base("winograd", "time ResNet's 3×3 layers as ORT's direct convolution and as a Winograd F(2,3) graph; writes docs/BENCHMARKS.md")
    {
        Add(_batch);
        Add(_threads);
        Add(_seconds);
        Add(_output);
        SetAction((parse, ct) => Task.FromResult(WinogradCommand.Run(Bind(parse), ct)));
    }

    public WinogradArguments Bind(ParseResult parse) => new(parse.GetValue(_batch), parse.GetValue(_threads), parse.GetValue(_seconds), parse.GetValue(_output)!);
}

/// <summary>What <c>edgevision winograd</c> was asked.</summary>
public sealed record WinogradArguments(int Batch, int Threads, double Seconds, string Output);
