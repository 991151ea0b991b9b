using System.Globalization;
using System.Text;
using EdgeVision.Core.IO;
using EdgeVision.Tools.Bench;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Verbs;
using EdgeVision.Tools.Plots;
using EdgeVision.Tools.Training;
using EdgeVision.Training.Experiments;
using EdgeVision.Training.Runs;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace EdgeVision.Tools.Experiments;

/// <summary>
/// <c>experiment gradients</c>: for each architecture, ‖∂L/∂W‖ per convolution on one fixed batch at initialisation
/// and again after one epoch of the experiments' recipe, then gradients.md and gradients.png (log scale).
/// </summary>
public static class GradientsExperiment
{
    public static int Run(GradientsArguments args, CancellationToken cancellationToken)
    {
        var (outDir, data, subset, probe, threads, archs, recipe) = (args.Out, args.Data, args.Subset, args.Probe, args.Threads, args.Archs, args.Recipe);
        if (threads > 0) torch.set_num_threads(threads);

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        var logger = loggerFactory.CreateLogger(typeof(GradientsExperiment));
        var splits = DatasetArguments.Load(data, 64, logger);
        if (subset > 0 && subset < splits.Train.Count) splits = splits with { Train = splits.Train.Take(subset) };
        // The probe batch comes from the test split, so it is the same images for every network and never trained on.
        var probeData = splits.Validation.Take(Math.Min(probe, splits.Validation.Count));
        var input = DatasetArguments.Input(splits, null, null);
        var series = new List<GradientPlot.Series>();
        foreach (string arch in archs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var trainer = new Trainer(recipe with { Architecture = arch }, splits, input, Path.Combine(outDir, arch), logger);
            var atInit = GradientFlow.Measure(trainer.Network, input, probeData, probeData.Count);
            var outcome = trainer.Run(new ConsoleTrainingObserver(null), trainer.BatchesPerEpoch, cancellationToken);
            if (outcome.State.Epoch < 1 && cancellationToken.IsCancellationRequested) return 130;
            var afterOne = GradientFlow.Measure(trainer.Network, input, probeData, probeData.Count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{arch}: first conv ‖g‖ {atInit[0].Norm:E2} → {afterOne[0].Norm:E2}, last conv {atInit[^1].Norm:E2} → {afterOne[^1].Norm:E2}"));
            series.Add(new GradientPlot.Series(arch, atInit, afterOne));
        }
        string command = $"edgevision experiment gradients --archs {string.Join(',', archs)} --epochs {recipe.Epochs} --subset {subset} --probe {probe} --data {data} --out {outDir}";
        AtomicFile.WriteText(Path.Combine(outDir, "gradients.md"), Markdown(series, probeData.Count, splits.Train.Count, command));
        GradientPlot.Save(series, Path.Combine(outDir, "gradients.png"));
        Console.WriteLine($"wrote {Path.Combine(outDir, "gradients.md")} and gradients.png");
        return 0;
    }

    public static string Markdown(IReadOnlyList<GradientPlot.Series> series, int probeImages, int trainImages, string command)
    {
        var inv = CultureInfo.InvariantCulture;
        var machine = BenchMachine.Describe();
        var s = new StringBuilder();
        s.AppendLine("## Gradient flow: ‖∂L/∂W‖ per convolution");
        s.AppendLine();
        s.AppendLine(inv, $"- Command: `{command}`");
        s.AppendLine(inv, $"- Machine: {machine.Cpu}, {machine.LogicalCores} cores; probe batch {probeImages} test images; one epoch = {trainImages} training images; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine();
        s.AppendLine("| network | convs | at init: first / last conv | ratio first ÷ last | after 1 epoch: first / last | ratio |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var x in series)
        {
            s.AppendLine(inv, $"| {x.Architecture} | {x.AtInit.Count} | {x.AtInit[0].Norm:E2} / {x.AtInit[^1].Norm:E2} | {x.AtInit[0].Norm / x.AtInit[^1].Norm:F2} | {x.AfterOneEpoch[0].Norm:E2} / {x.AfterOneEpoch[^1].Norm:E2} | {x.AfterOneEpoch[0].Norm / x.AfterOneEpoch[^1].Norm:F2} |");
        }
        return s.ToString();
    }
}
