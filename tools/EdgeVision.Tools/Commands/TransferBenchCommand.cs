using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeVision.Data;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Tools.Bench;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Verbs;
using EdgeVision.Training.Data;
using EdgeVision.Training.Model;
using EdgeVision.Training.Runs;
using EdgeVision.Training.Transfer;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace EdgeVision.Tools.Commands;

/// <summary>
/// <c>edgevision transfer-bench</c>: Fashion-MNIST with N labelled images per class (balanced, seeded subsets), each
/// validated on the 10 000 test images, from scratch (resnet20 at 28 px) against the ImageNet ResNet-18 head-only
/// and fine-tuned, all with one epoch budget. Cells run in the order given and each lands in results.jsonl as it
/// finishes, so a run that is stopped resumes at the next cell; within a pretrained cell the trainer keeps its
/// progress in <c>OUT/progress/KIND-PERCLASS.state</c> (deleted once the cell is in results.jsonl), so a stopped
/// fine-tuning cell (fine:all is hours) continues from its last saved epoch; a scratch cell continues from its trainer's
/// checkpoint in <c>OUT/scratch-PERCLASS</c>. The frozen backbone's test features are
/// computed once and shared by every head-only cell (saved beside the results).
/// </summary>
public static class TransferBenchCommand
{
    private sealed record Cell(string Kind, string PerClass, double Top1, double TrainSeconds, double FeatureSeconds, double EvalSeconds,
        int TrainImages, int Epochs, int ImageSize, string Machine);

    public static int Run(TransferBenchArguments args, CancellationToken cancellationToken)
    {
        var (outDir, cells, size, epochs, unfreezeAt) = (args.Out, args.Cells, args.ImageSize, args.Epochs, args.UnfreezeAt);
        var (lr, scratchLr, scale, seed, threads) = (args.Lr, args.ScratchLr, args.BackboneLrScale, args.Seed, args.Threads);
        if (threads > 0) torch.set_num_threads(threads);
        Directory.CreateDirectory(outDir);
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        var logger = loggerFactory.CreateLogger(typeof(TransferBenchCommand));

        string resultsPath = Path.Combine(outDir, "results.jsonl");
        var done = File.Exists(resultsPath)
            ? File.ReadAllLines(resultsPath).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<Cell>(l)!).ToList()
            : [];
        var fashion = FashionMnist.Load();
        var backbone = BackboneResize.To(PretrainedBackbones.Load(PretrainedBackbones.ImageNet), size);
        var described = BenchMachine.Describe();
        string machine = $"{described.Cpu}, {described.LogicalCores} cores, torch threads {torch.get_num_threads()}, load {described.LoadAverage}";
        ImageDataset? test = null;
        FeatureCache? testFeatures = null;

        foreach (string spec in cells)
        {
            var parts = spec.Split(':'); // kind:per-class, checked by the verb
            string kind = parts[0], perClass = parts[1];
            if (done.Any(c => c.Kind == kind && c.PerClass == perClass && c.ImageSize == (kind == "scratch" ? 28 : size) && c.Epochs == epochs))
            {
                logger.LogInformation("{Kind}:{PerClass} already measured; skipping", kind, perClass);
                continue;
            }
            var train = perClass == "all" ? fashion.Train : BalancedSubset.Take(fashion.Train, int.Parse(perClass, CultureInfo.InvariantCulture), seed);
            logger.LogInformation("Cell {Kind}:{PerClass}: {Count} training images", kind, perClass, train.Count);
            Cell cell;
            if (kind == "scratch")
            {
                cell = Scratch(train, fashion.Validation, epochs, scratchLr, seed, outDir, perClass, machine, logger, cancellationToken);
            }
            else
            {
                test ??= DatasetResize.Stretch(fashion.Validation, size);
                using var input = new BackboneInput(backbone.Preprocessing, size, size);
                if (kind == "head" && testFeatures is null)
                {
                    string cachePath = Path.Combine(outDir, $"test-features-{size}.bin");
                    if (File.Exists(cachePath)) testFeatures = FeatureCache.Load(cachePath);
                    else
                    {
                        using var frozen = new OnnxNetwork(backbone.Graph, backbone.FeatureName);
                        var clock = Stopwatch.StartNew();
                        testFeatures = FeatureCache.Compute(frozen, input, test);
                        testFeatures.Save(cachePath);
                        logger.LogInformation("Test features ({Count}) in {Seconds:F0} s: {PerImage:F1} ms per image", test.Count, clock.Elapsed.TotalSeconds, clock.Elapsed.TotalMilliseconds / test.Count);
                    }
                }
                var progress = new TransferProgressTarget(ProgressPath(outDir, kind, perClass), $"{backbone.Name} ({backbone.Source}) at {size} px");
                cell = Pretrained(kind, backbone, input, DatasetResize.Stretch(train, size), test, kind == "head" ? testFeatures : null,
                    epochs, unfreezeAt, lr, scale, seed, perClass, size, machine, progress, logger, cancellationToken);
            }
            File.AppendAllText(resultsPath, JsonSerializer.Serialize(cell) + "\n");
            // Measured: a rerun skips the cell, so its progress is spent (scratch cells keep OUT/scratch-N, their run directory).
            if (File.Exists(ProgressPath(outDir, kind, perClass))) File.Delete(ProgressPath(outDir, kind, perClass));
            done.Add(cell);
            logger.LogInformation("{Kind}:{PerClass}: top-1 {Top1:P2}, train {Train:F0} s (features {Features:F0} s), eval {Eval:F0} s",
                kind, perClass, cell.Top1, cell.TrainSeconds, cell.FeatureSeconds, cell.EvalSeconds);
            WriteTable(done, Path.Combine(outDir, "transfer.md"));
        }
        WriteTable(done, Path.Combine(outDir, "transfer.md"));
        return 0;
    }

    /// <summary>A scratch cell's recipe: train's defaults for resnet20 except the batch (100 images do not make one batch of 128).</summary>
    public static TrainingOptions ScratchOptions(int epochs, double lr, int seed) => new()
    {
        Architecture = "resnet20", Epochs = epochs, BatchSize = 32, LearningRate = lr, Seed = seed,
        Augmentation = new AugmentationOptions { CropPadding = 2, HorizontalFlip = true },
    };

    /// <summary>Where a scratch cell trains: its checkpoints, from which a stopped cell continues.</summary>
    public static string ScratchDirectory(string outDir, string perClass) => Path.Combine(outDir, $"scratch-{perClass}");

    // The per-epoch validation the trainer insists on is a sliver of the training subset: the cell is scored once, on
    // the test set, with the last epoch's weights (no epoch is chosen by a test score). A cell stopped earlier continues
    // from its last.ckpt (every epoch end, and Ctrl-C mid-epoch, write one) if it was trained with this recipe.
    private static Cell Scratch(ImageDataset train, ImageDataset test, int epochs, double lr, int seed, string outDir, string perClass, string machine,
        ILogger logger, CancellationToken cancellationToken)
    {
        var options = ScratchOptions(epochs, lr, seed);
        var splits = new DatasetSplits("fashion-mnist", train, train.Take(Math.Min(train.Count, 50)));
        string dir = ScratchDirectory(outDir, perClass);
        var saved = SavedRun.In(dir, options);
        using var trainer = saved is null
            ? new Trainer(options, splits, NetworkInput.FashionMnist, dir, logger)
            : Trainer.Resume(saved, splits, dir, logger);
        if (saved is not null) logger.LogInformation("scratch:{PerClass}: continuing {Dir} at epoch {Epoch}", perClass, dir, saved.State.Epoch + 1);
        var outcome = trainer.Run(null, cancellationToken);
        // Stopped: the checkpoint is saved and the cell is not measured; recording it would score half-trained weights.
        if (!outcome.Completed) throw new OperationCanceledException($"scratch:{perClass} stopped; {outcome.LastCheckpoint} continues it", cancellationToken);
        // The epochs' own seconds, earlier sessions included (each epoch's includes its sliver validation).
        double trainSeconds = outcome.State.History.Sum(h => h.Seconds);
        var clock = Stopwatch.StartNew();
        var result = Trainer.Evaluate(trainer.Network, NetworkInput.FashionMnist, test);
        return new Cell("scratch", perClass, result.Top1, trainSeconds, 0, clock.Elapsed.TotalSeconds, train.Count, epochs, 28, machine);
    }

    private static Cell Pretrained(string kind, PretrainedBackbone backbone, BackboneInput input, ImageDataset train, ImageDataset test, FeatureCache? testFeatures,
        int epochs, int unfreezeAt, double lr, double scale, int seed, string perClass, int size, string machine, TransferProgressTarget progress,
        ILogger logger, CancellationToken cancellationToken)
    {
        var options = new TransferOptions
        {
            Epochs = epochs, BatchSize = 32, LearningRate = lr, Seed = seed, Freeze = FreezeDepth.Backbone,
            UnfreezeAt = kind == "fine" ? Math.Min(unfreezeAt, epochs) : 0, BackboneLearningRateScale = scale,
            Augmentation = new AugmentationOptions { HorizontalFlip = true },
        };
        torch.random.manual_seed(seed);
        using var network = new TransferNetwork(new OnnxNetwork(backbone.Graph, backbone.FeatureName), backbone.FeatureCount, train.Classes.Count);
        // The trainer validates after the last epoch; the test split is that validation, used once.
        using var trainer = new TransferTrainer(options, network, input, new DatasetSplits("fashion-mnist", train, test), logger, progress);
        var outcome = trainer.Run(null, cancellationToken, testFeatures);
        // What is neither an epoch nor feature caching is the one validation pass over the test set (and, for a cell
        // continued from its progress file, loading that file); the seconds of earlier sessions up to their last save are included.
        double evalSeconds = outcome.TotalSeconds - outcome.History.Sum(h => h.Seconds) - outcome.FeatureSeconds;
        return new Cell(kind, perClass, outcome.Validation.Top1, outcome.TotalSeconds - evalSeconds, outcome.FeatureSeconds, evalSeconds,
            train.Count, epochs, size, machine);
    }

    /// <summary>Where a pretrained cell keeps its epoch progress while it runs.</summary>
    public static string ProgressPath(string outDir, string kind, string perClass) => Path.Combine(outDir, "progress", $"{kind}-{perClass}.state");

    private static void WriteTable(IReadOnlyList<Cell> cells, string path)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| data per class | from scratch (resnet20, 28 px) | imagenet, head only | imagenet, fine-tuned | wall time each (train incl. feature extraction + test eval) |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var group in cells.GroupBy(c => c.PerClass))
        {
            string Cell(string kind) => group.FirstOrDefault(c => c.Kind == kind) is { } c ? $"{c.Top1 * 100:F2} %" : "not run";
            string Time(string kind) => group.FirstOrDefault(c => c.Kind == kind) is { } c ? $"{kind} {c.TrainSeconds:F0} s + {c.EvalSeconds:F0} s" : "";
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key} | {Cell("scratch")} | {Cell("head")} | {Cell("fine")} | {string.Join("; ", new[] { Time("scratch"), Time("head"), Time("fine") }.Where(t => t.Length > 0))} |"));
        }
        EdgeVision.Core.IO.AtomicFile.WriteText(path, sb.ToString());
    }
}
