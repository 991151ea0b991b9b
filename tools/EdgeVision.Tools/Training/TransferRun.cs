using System.Globalization;
using System.Text.Json;
using EdgeVision.Core.IO;
using EdgeVision.Core.Model;
using EdgeVision.Data;
using EdgeVision.Onnx;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Verbs;
using EdgeVision.Training.Data;
using EdgeVision.Training.Transfer;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using TorchSharp;

namespace EdgeVision.Tools.Training;

/// <summary>
/// <c>edgevision train --pretrained …</c>: a pretrained backbone (imagenet, an ONNX file, a state dict) mapped to
/// TorchSharp, a new head, freezing, optional unfreezing, export through <see cref="TransferExport"/>. The trainer keeps
/// its epoch progress in <c>OUT/progress.state</c> while it runs: a run stopped by Ctrl-C continues from its last saved
/// epoch when the same command runs again (a different command is refused, naming what differs); a finished run deletes it.
/// </summary>
public static class TransferRun
{
    public const string ProgressFileName = "progress.state";

    public static int Run(TransferArguments args, ILogger logger, CancellationToken cancellationToken)
    {
        var (pretrained, arch, data, outDir, threads) = (args.Pretrained, args.Arch, args.Data, args.Out, args.Threads);
        var (subset, perClass, valSplit, imageSize, options) = (args.Subset, args.PerClass, args.ValSplit, args.ImageSize, args.Options);
        if (threads > 0) torch.set_num_threads(threads);

        var backbone = LoadBackbone(pretrained, arch);
        backbone = WithSize(backbone, imageSize);
        int size = backbone.InputHeight;

        var splits = DatasetArguments.Load(data, size, logger, valSplit, options.Seed);
        if (perClass > 0) splits = splits with { Train = BalancedSubset.Take(splits.Train, perClass, options.Seed) };
        if (subset > 0) splits = splits with { Train = splits.Train.Take(subset) };
        splits = DatasetArguments.ApplyValSplit(splits, valSplit, options.Seed, outDir);
        SkippedImagesReport.Print(splits.Train);
        if (splits.HoldOut is null) SkippedImagesReport.Print(splits.Validation);
        splits = splits with { Train = DatasetResize.Stretch(splits.Train, size), Validation = DatasetResize.Stretch(splits.Validation, size) };

        torch.random.manual_seed(options.Seed);
        using var input = new BackboneInput(backbone.Preprocessing, size, size);
        using var network = new TransferNetwork(MapBackbone(backbone), backbone.FeatureCount, splits.Train.Classes.Count);
        string progressPath = Path.Combine(outDir, ProgressFileName);
        using var trainer = new TransferTrainer(options, network, input, splits, logger, new TransferProgressTarget(progressPath, $"{backbone.Name} ({backbone.Source})"));
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{arch} from {backbone.Name} ({backbone.Source}) at {size}×{size}, freeze {options.Freeze}" +
            (options.UnfreezeAt > 0 ? $" until epoch {options.UnfreezeAt} (then backbone lr ×{options.BackboneLearningRateScale})" : "") +
            $" · {splits.Name}: {splits.Train.Count} train / {splits.Validation.Count} val · {options.Epochs} epochs × {trainer.BatchesPerEpoch} batches of {trainer.BatchSize}" +
            $" · threads {torch.get_num_threads()} · {outDir}" + (File.Exists(progressPath) ? $" · continuing from {progressPath}" : "")));

        Directory.CreateDirectory(outDir);
        TransferOutcome outcome;
        try
        {
            outcome = trainer.Run(new ConsoleTrainingObserver(null), cancellationToken);
        }
        catch (OperationCanceledException) when (File.Exists(progressPath))
        {
            AnsiConsole.MarkupLine(Markup.Escape($"interrupted: progress in {progressPath}; run the same command again to continue from its last saved epoch"));
            throw;
        }
        string frozen = options.UnfreezeAt > 0 ? $"{options.Freeze} until epoch {options.UnfreezeAt}" : options.Freeze.ToString();
        var metadata = new ModelMetadata
        {
            Labels = splits.Train.Classes,
            Architecture = arch,
            InputWidth = size, InputHeight = size, Color = ColorMode.Bgr, Mean = [0, 0, 0], Std = [1, 1, 1], // set from the backbone
            Dataset = splits.Name,
            Top1 = outcome.Validation.Top1,
            Top5 = outcome.Validation.Top5,
            TrainedAt = DateTimeOffset.UtcNow,
            Pretrained = backbone.Name,
            Frozen = frozen,
        };
        string onnx = Path.Combine(outDir, "best.onnx");
        OnnxModelFile.Save(TransferExport.Build(backbone, network, metadata), onnx);
        MetricsCsv.Write(outcome.History, Path.Combine(outDir, "metrics.csv"));
        WriteSummary(Path.Combine(outDir, "transfer.json"), backbone, frozen, size, splits, outcome, options);
        if (File.Exists(progressPath)) File.Delete(progressPath); // the run's outputs are written: a rerun starts over
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"epoch {options.Epochs}: top-1 {outcome.Validation.Top1 * 100:F2}%, top-5 {outcome.Validation.Top5 * 100:F2}% on {splits.Validation.Name} ({splits.Validation.Count} images); " +
            $"{outcome.TotalSeconds:F1} s in all, {outcome.FeatureSeconds:F1} s of it caching features")));
        AnsiConsole.MarkupLine(Markup.Escape($"wrote {outDir}/{{best.onnx,metrics.csv,transfer.json}}"));
        return 0;
    }

    /// <summary><c>imagenet</c>, an .onnx file, or a .pth/.safetensors state dict; a bad value is a usage error naming it.</summary>
    public static PretrainedBackbone LoadBackbone(string pretrained, string arch)
    {
        try
        {
            if (StateDictBackbone.IsStateDict(pretrained)) return StateDictBackbone.Load(pretrained, arch);
            if (string.Equals(pretrained, PretrainedBackbones.ImageNet, StringComparison.OrdinalIgnoreCase) && arch != "resnet18")
                throw new UsageException($"--pretrained imagenet is a ResNet-18; --arch {arch} does not fit it (use --arch resnet18)");
            return PretrainedBackbones.Load(pretrained);
        }
        catch (ModelContractException e)
        {
            throw new UsageException($"--pretrained: {e.Message}");
        }
    }

    private static PretrainedBackbone WithSize(PretrainedBackbone backbone, int? size)
    {
        try
        {
            return size is { } s ? BackboneResize.To(backbone, s) : backbone;
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static OnnxNetwork MapBackbone(PretrainedBackbone backbone)
    {
        try
        {
            return new OnnxNetwork(backbone.Graph, backbone.FeatureName, backbone.Name);
        }
        catch (OnnxMappingException e)
        {
            throw new UsageException($"--pretrained {backbone.Source}: {e.Message}");
        }
    }

    private static void WriteSummary(string path, PretrainedBackbone backbone, string frozen, int size, DatasetSplits splits, TransferOutcome outcome, TransferOptions options)
    {
        var summary = new
        {
            pretrained = backbone.Name,
            source = backbone.Source,
            frozen,
            image_size = size,
            dataset = splits.Name,
            train_images = splits.Train.Count,
            validation_images = splits.Validation.Count,
            epochs = options.Epochs,
            unfreeze_at = options.UnfreezeAt,
            keep_bn_stats = options.KeepBatchNormStatistics,
            top1 = outcome.Validation.Top1,
            top5 = outcome.Validation.Top5,
            feature_seconds = outcome.FeatureSeconds,
            total_seconds = outcome.TotalSeconds,
        };
        AtomicFile.WriteText(path, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
    }
}
