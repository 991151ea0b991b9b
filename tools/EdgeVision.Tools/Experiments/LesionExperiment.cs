using System.Globalization;
using System.Text;
using EdgeVision.Core.IO;
using EdgeVision.Tools.Bench;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Verbs;
using EdgeVision.Tools.Plots;
using EdgeVision.Tools.Training;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Training.Experiments;
using EdgeVision.Training.Model;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace EdgeVision.Tools.Experiments;

/// <summary><c>experiment lesion</c>: <see cref="LesionStudy"/> for each checkpoint given (<see cref="OnnxLesionStudy"/> for each exported model), then lesion.md and lesion.png.</summary>
public static class LesionExperiment
{
    public static int Run(LesionArguments args, CancellationToken cancellationToken)
    {
        var (models, outDir, data, limit, threads) = (args.Models, args.Out, args.Data, args.Limit, args.Threads);
        if (threads > 0) torch.set_num_threads(threads);

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        var logger = loggerFactory.CreateLogger(typeof(LesionExperiment));
        var test = DatasetArguments.Load(data, 64, logger).Validation;
        if (limit > 0 && limit < test.Count) test = test.Take(limit);
        var progress = new Progress<string>(Console.WriteLine);
        var results = new List<LesionResult>();
        foreach (string path in models)
            results.Add(IsOnnx(path) ? OnnxLesionStudy.Run(path, test, progress, cancellationToken) : CheckpointLesion(path, test, progress, cancellationToken));
        string command = $"edgevision experiment lesion --models {string.Join(',', models)} --data {data}" + (limit > 0 ? $" --limit {limit}" : "") + $" --out {outDir}";
        AtomicFile.WriteText(Path.Combine(outDir, "lesion.md"), Markdown(results, test.Count, command));
        LesionPlot.Save(results, Path.Combine(outDir, "lesion.png"));
        Console.WriteLine($"wrote {Path.Combine(outDir, "lesion.md")} and lesion.png");
        return 0;
    }

    public static bool IsCheckpoint(string path) => path.EndsWith(".ckpt", StringComparison.OrdinalIgnoreCase);

    public static bool IsOnnx(string path) => path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    private static LesionResult CheckpointLesion(string path, Data.ImageDataset test, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var checkpoint = CheckpointFile.Load(path);
        if (!checkpoint.State.Labels.SequenceEqual(test.Classes))
            throw new ArgumentException($"{path}: its classes ({string.Join(", ", checkpoint.State.Labels)}) are not the test split's ({string.Join(", ", test.Classes)})");
        using var network = new ResNetNetwork(checkpoint.Spec);
        NetworkWeights.Restore(network, checkpoint.Weights);
        var input = new NetworkInput(checkpoint.State.Color, checkpoint.State.Mean, checkpoint.State.Std);
        return LesionStudy.Run(network, input, test, progress, cancellationToken);
    }

    public static string Markdown(IReadOnlyList<LesionResult> results, int testImages, string command)
    {
        var inv = CultureInfo.InvariantCulture;
        var machine = BenchMachine.Describe();
        var s = new StringBuilder();
        s.AppendLine("## Lesion study: one block removed at test time");
        s.AppendLine();
        s.AppendLine(inv, $"- Command: `{command}`");
        s.AppendLine(inv, $"- Machine: {machine.Cpu}, {machine.LogicalCores} cores; {testImages} test images; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine();
        // One table per depth: block i of a 20-layer net is not block i of a 56-layer one.
        foreach (var group in results.GroupBy(r => r.Rows.Count))
        {
            var nets = group.ToList();
            s.AppendLine("| block | " + string.Join(" | ", nets.Select(r => r.Architecture + " top-1")) + " |");
            s.AppendLine("|---|" + string.Concat(nets.Select(_ => "---:|")));
            s.AppendLine("| none (intact) | " + string.Join(" | ", nets.Select(r => string.Create(inv, $"{r.IntactTop1 * 100:F2} %"))) + " |");
            for (int i = 0; i < group.Key; i++)
            {
                var row = nets[0].Rows[i];
                s.Append(inv, $"| {row.Index} {row.Block}{(row.Downsampling ? " ↓" : "")} |");
                foreach (var r in nets)
                    s.Append(r.Rows[i].Top1 is { } t ? string.Create(inv, $" {t * 100:F2} % |") : " cannot be removed |");
                s.AppendLine();
            }
            s.AppendLine();
        }
        foreach (var r in results)
        {
            var removable = r.Rows.Where(x => x.Top1 is not null && !x.Downsampling).ToList();
            if (removable.Count == 0) continue;
            s.AppendLine(string.Create(inv,
                $"- {r.Architecture}: removing one non-downsampling block leaves {removable.Average(x => x.Top1!.Value) * 100:F2} % on average (worst {removable.Min(x => x.Top1!.Value) * 100:F2} %, intact {r.IntactTop1 * 100:F2} %)."));
        }
        return s.ToString();
    }
}
