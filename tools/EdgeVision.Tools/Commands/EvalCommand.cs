using System.Globalization;
using EdgeVision.Core.Model;
using EdgeVision.Data;
using EdgeVision.Inference;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Plots;
using EdgeVision.Tools.Training;
using EdgeVision.Tools.Verbs;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision eval</c>: accuracy of a contract model under ONNX Runtime, the way the daemon runs it.</summary>
public static class EvalCommand
{
    public static int Run(EvalArguments args, CancellationToken cancellationToken)
    {
        var (model, data, split, batch, providers, threads, outDir) = (args.Model, args.Data, args.Split, args.Batch, args.Providers, args.Threads, args.Out);
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var options = new InferenceOptions { MaxBatch = batch, IntraOpThreads = threads };
        if (providers is not null) options.Providers = providers;
        using var classifier = Classifier.Load(model, options, loggerFactory.CreateLogger<Classifier>());
        var dataset = LoadSplit(data, split, classifier.Metadata, loggerFactory.CreateLogger(typeof(EvalCommand)));
        SkippedImagesReport.Print(dataset);
        if (!classifier.Metadata.Labels.SequenceEqual(dataset.Classes))
            AnsiConsole.MarkupLine(Markup.Escape($"warning: the model's labels differ from {dataset.Name}'s class names; scoring by class index"));

        ModelEvaluator.Result result = Console.IsOutputRedirected
            ? ModelEvaluator.Evaluate(classifier, dataset, progress: null, cancellationToken: cancellationToken)
            : AnsiConsole.Progress().AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"eval {Path.GetFileName(model)}", maxValue: dataset.Count);
                    return ModelEvaluator.Evaluate(classifier, dataset, progress: new Progress<int>(n => task.Value = n), cancellationToken: cancellationToken);
                });

        Directory.CreateDirectory(outDir);
        var matrix = ConfusionMatrixPlot.Count(result.Labels, result.Predictions, dataset.Classes.Count);
        PrintPerClass(matrix, classifier.Metadata.Labels, Path.Combine(outDir, "per_class.csv"));
        string plot = Path.Combine(outDir, "confusion_matrix.png");
        ConfusionMatrixPlot.Save(matrix, classifier.Metadata.Labels, plot,
            $"{Path.GetFileName(model)} on {dataset.Name}: top-1 {result.Top1 * 100:F2}%");
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(model)} ({classifier.Metadata.Architecture}) on {dataset.Name}, {dataset.Count} images, {result.Provider}: " +
            $"top-1 {result.Top1 * 100:F2}%  top-5 {result.Top5 * 100:F2}%  {result.ImagesPerSecond:F0} img/s (batch {batch})")));
        AnsiConsole.MarkupLine(Markup.Escape($"wrote {plot} and per_class.csv"));
        return 0;
    }

    private static ImageDataset LoadSplit(string data, string? split, ModelMetadata metadata, ILogger logger)
    {
        var location = DatasetArguments.Locate(data);
        if (location.IsIdx)
        {
            string idxSplit = split ?? "test";
            if (idxSplit is not ("test" or "train")) throw new UsageException($"--split for IDX data is test or train, not '{idxSplit}'");
            return FashionMnist.Split(idxSplit, location.Path);
        }
        data = location.Path;
        string name = split ?? (Directory.Exists(Path.Combine(data, "test")) ? "test" : "val");
        string splitDir = Path.Combine(data, name);
        if (!Directory.Exists(splitDir)) throw new UsageException($"--data {data} has no {name}/ directory");
        // Decode at the model's input size; the classifier would resize anyway.
        return ImageFolder.LoadSplit(splitDir, metadata.Labels, metadata.InputWidth, metadata.InputHeight, logger, requireEveryClass: false);
    }

    private static void PrintPerClass(int[,] matrix, IReadOnlyList<string> labels, string csvPath)
    {
        var table = new Table().Title("per-class accuracy");
        table.AddColumn("class");
        table.AddColumn(new TableColumn("images").RightAligned());
        table.AddColumn(new TableColumn("correct").RightAligned());
        table.AddColumn(new TableColumn("accuracy").RightAligned());
        table.AddColumn("most confused with");
        var csv = new List<string> { "class,images,correct,accuracy" };
        for (int r = 0; r < labels.Count; r++)
        {
            int total = Enumerable.Range(0, labels.Count).Sum(c => matrix[r, c]);
            int confused = Enumerable.Range(0, labels.Count).Where(c => c != r).MaxBy(c => matrix[r, c]);
            double acc = total > 0 ? (double)matrix[r, r] / total : 0;
            table.AddRow(Markup.Escape(labels[r]), total.ToString(CultureInfo.InvariantCulture), matrix[r, r].ToString(CultureInfo.InvariantCulture),
                (acc * 100).ToString("F2", CultureInfo.InvariantCulture) + " %",
                matrix[r, confused] > 0 ? Markup.Escape($"{labels[confused]} ({matrix[r, confused]})") : "-");
            csv.Add(string.Join(',', $"\"{labels[r].Replace("\"", "\"\"", StringComparison.Ordinal)}\"", total, matrix[r, r], acc.ToString("F5", CultureInfo.InvariantCulture)));
        }
        AnsiConsole.Write(table);
        File.WriteAllLines(csvPath, csv);
    }
}
