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

/// <summary><c>experiment degradation</c>: <see cref="DegradationRuns"/> on the command line, then degradation.md and degradation.png.</summary>
public static class DegradationExperiment
{
    public static int Run(DegradationArguments args, CancellationToken cancellationToken)
    {
        var (outDir, data, subset, testLimit, threads, archs, recipe) = (args.Out, args.Data, args.Subset, args.TestLimit, args.Threads, args.Archs, args.Recipe);
        if (threads > 0) torch.set_num_threads(threads);

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        var logger = loggerFactory.CreateLogger(typeof(DegradationExperiment));
        var splits = DatasetArguments.Load(data, 64, logger);
        if (subset > 0 && subset < splits.Train.Count) splits = splits with { Train = splits.Train.Take(subset) };
        if (testLimit > 0 && testLimit < splits.Validation.Count) splits = splits with { Validation = splits.Validation.Take(testLimit) };
        var runs = new DegradationRuns(recipe, splits, DatasetArguments.Input(splits, null, null), outDir, logger)
            .Run(archs, _ => new ConsoleTrainingObserver(null), cancellationToken);

        string command = $"edgevision experiment degradation --archs {string.Join(',', archs)} --epochs {recipe.Epochs} --batch {recipe.BatchSize} " +
            string.Create(CultureInfo.InvariantCulture, $"--lr {recipe.LearningRate} --wd {recipe.WeightDecay} --seed {recipe.Seed}") +
            (subset > 0 ? $" --subset {subset}" : "") + (testLimit > 0 ? $" --test-limit {testLimit}" : "") + $" --data {data} --out {outDir}";
        AtomicFile.WriteText(Path.Combine(outDir, "degradation.md"), Markdown(runs, recipe, splits.Name, splits.Train.Count, splits.Validation.Count, command));
        if (runs.Any(r => r.History.Count > 0)) DegradationPlot.Save(runs, Path.Combine(outDir, "degradation.png"), splits.Name);
        Console.WriteLine($"wrote {Path.Combine(outDir, "degradation.md")} and degradation.png");
        if (runs.Count < archs.Count || runs.Any(r => !r.Completed))
        {
            Console.WriteLine($"interrupted; run the same command again to continue");
            return 130;
        }
        return 0;
    }

    public static string Markdown(IReadOnlyList<DegradationRun> runs, TrainingOptions recipe, string dataset, int trainImages, int testImages, string command)
    {
        var inv = CultureInfo.InvariantCulture;
        var machine = BenchMachine.Describe();
        var s = new StringBuilder();
        s.AppendLine(inv, $"## Degradation: plain vs residual, {dataset}");
        s.AppendLine();
        s.AppendLine(inv, $"- Command: `{command}`");
        s.AppendLine(inv, $"- Machine: {machine.Cpu}, {machine.LogicalCores} cores, load average at the end {machine.LoadAverage}; TorchSharp CPU, {torch.get_num_threads()} threads; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine(inv, $"- Data: {trainImages} training images, test error on {testImages}; SGD momentum {recipe.Momentum}, lr {recipe.LearningRate}, wd {recipe.WeightDecay}, batch {recipe.BatchSize}, cosine after {recipe.WarmupEpochs} warm-up epoch, crop-pad {recipe.Augmentation.CropPadding} + flip, {recipe.Epochs} epochs");
        s.AppendLine("- Training error is the running error over each epoch's augmented batches (the paper's thin curves), test error the eval-mode error after the epoch.");
        s.AppendLine();
        s.AppendLine("| network | parameters | epochs run | final training error | final test error | best test error | wall time |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs.Where(r => r.History.Count > 0))
        {
            var last = r.History[^1];
            s.AppendLine(inv, $"| {r.Architecture} | {r.Parameters:N0} | {r.History.Count}{(r.Completed ? "" : " (interrupted)")} | {(1 - last.TrainAccuracy) * 100:F2} % | {(1 - last.ValidationAccuracy) * 100:F2} % | {(1 - r.History.Max(h => h.ValidationAccuracy)) * 100:F2} % | {r.History.Sum(h => h.Seconds):F0} s |");
        }
        s.AppendLine();
        int epochs = runs.Count == 0 ? 0 : runs.Max(r => r.History.Count);
        s.AppendLine("Per epoch, training / test error (%):");
        s.AppendLine();
        s.AppendLine("| epoch | " + string.Join(" | ", runs.Select(r => r.Architecture)) + " |");
        s.AppendLine("|---:|" + string.Concat(runs.Select(_ => "---:|")));
        for (int e = 0; e < epochs; e++)
        {
            s.Append(inv, $"| {e + 1} |");
            foreach (var r in runs)
                s.Append(e < r.History.Count ? string.Create(inv, $" {(1 - r.History[e].TrainAccuracy) * 100:F2} / {(1 - r.History[e].ValidationAccuracy) * 100:F2} |") : " – |");
            s.AppendLine();
        }
        s.AppendLine();
        foreach (string line in Verdicts(runs)) s.AppendLine("- " + line);
        return s.ToString();
    }

    /// <summary>What the paper predicts, checked against the numbers (reported, never tuned for).</summary>
    public static IEnumerable<string> Verdicts(IReadOnlyList<DegradationRun> runs)
    {
        foreach (var (shallow, deep) in new[] { ("plain20", "plain56"), ("resnet20", "resnet56") })
        {
            var a = runs.FirstOrDefault(r => r.Architecture == shallow);
            var b = runs.FirstOrDefault(r => r.Architecture == deep);
            if (a is null || b is null || a.History.Count == 0 || b.History.Count == 0) continue;
            int n = Math.Min(a.History.Count, b.History.Count);
            int deeperWorse = Enumerable.Range(0, n).Count(e => b.History[e].TrainAccuracy < a.History[e].TrainAccuracy);
            double finalA = (1 - a.History[n - 1].TrainAccuracy) * 100, finalB = (1 - b.History[n - 1].TrainAccuracy) * 100;
            string reading = shallow.StartsWith("plain", StringComparison.Ordinal)
                ? (deeperWorse == n ? " — the degradation problem, as the paper reports." : " — the paper expects every epoch.")
                : (finalB <= finalA ? " — depth helps the residual net, as the paper reports." : " — the paper expects the deeper residual net at or below.");
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{deep} has the higher training error than {shallow} in {deeperWorse} of {n} epochs; at epoch {n}: {finalB:F2} % vs {finalA:F2} %{reading}");
        }
    }
}
