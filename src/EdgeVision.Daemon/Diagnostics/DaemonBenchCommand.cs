using System.CommandLine;
using EdgeVision.Inference;

namespace EdgeVision.Daemon.Diagnostics;

/// <summary>
/// <c>edgevisiond --bench [--bench-seconds 5] [--bench-rounds 3] [--bench-model path] [--bench-skip-resnet18]
/// [--bench-provider CPU|CUDA|TensorRT] [--bench-out docs/BENCHMARKS.md]</c>, parsed with System.CommandLine
/// (typed values, range checks naming the option, unknown tokens refused) into <see cref="DaemonBenchSettings"/>.
/// </summary>
public static class DaemonBenchCommand
{
    public const string Flag = "--bench";

    public static Task<int> RunAsync(string[] args)
    {
        var seconds = BenchOptions.Seconds(5, 0, minInclusive: false, 3600);
        var rounds = BenchOptions.WholeNumber("--bench-rounds", "paired rounds per row", 3, 1, 100);
        var model = new Option<string?>("--bench-model") { Description = "the shipped model (default models/default.onnx)" };
        var skipResNet18 = new Option<bool>("--bench-skip-resnet18") { Description = "measure the shipped model only" };
        var provider = new Option<string>("--bench-provider") { Description = "execution provider", DefaultValueFactory = _ => ExecutionProviders.Cpu };
        provider.Validators.Add(r =>
        {
            string text = r.GetValueOrDefault<string>() ?? "";
            if (!ExecutionProviders.TryNormalize(text, out _))
                r.AddError($"--bench-provider must be one of {string.Join(", ", ExecutionProviders.All)}, not '{text}'");
        });
        var output = BenchOptions.Output();
        var command = new RootCommand("The whole daemon against the bare model; prints a Markdown section")
        {
            new Option<bool>(Flag), seconds, rounds, model, skipResNet18, provider, output,
        };
        command.SetAction((parsed, _) =>
        {
            ExecutionProviders.TryNormalize(parsed.GetValue(provider)!, out string normalized);
            return DaemonBenchmark.RunAsync(new DaemonBenchSettings(
                parsed.GetValue(seconds), parsed.GetValue(rounds), normalized,
                parsed.GetValue(model) ?? Models.ModelPaths.Resolve("models/default.onnx", Directory.GetCurrentDirectory()),
                !parsed.GetValue(skipResNet18), parsed.GetValue(output)));
        });
        return BenchOptions.InvokeAsync(command, "bench", args);
    }
}

/// <summary>What one <c>--bench</c> run measures and where it writes.</summary>
public sealed record DaemonBenchSettings(double Seconds, int Rounds, string Provider, string ShippedModel, bool WithResNet18, string? Output);
