using System.Globalization;
using System.Text.Json;
using EdgeVision.Core.IO;
using EdgeVision.Core.Model;
using EdgeVision.Data;
using EdgeVision.Onnx;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Tools.Cli;
using EdgeVision.Training.Data;
using EdgeVision.Training.Transfer;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using TorchSharp;

namespace EdgeVision.Tools.Training;

/// <summary>
/// <c>edgevision train --pretrained …</c>: a pretrained backbone (imagenet, an ONNX file, a state dict) mapped to
/// TorchSharp, a new head, freezing, optional unfreezing, export through <see cref="TransferExport"/>.
/// </summary>
public static class TransferRun
{
    public const string Usage = """
        edgevision train --arch resnet18 --pretrained imagenet|FILE.onnx|FILE.pth|FILE.safetensors --data DIR --out runs/NAME
          --freeze               none | stem | layer1 … layer4 | backbone (default backbone: only the new head learns,
                                 over backbone features computed once per image and cached)
          --unfreeze-at EPOCH    from this epoch (1-based) the whole backbone trains too, at
          --backbone-lr-scale S  S × the head's learning rate (default 0.1)
          --imgsz                input size (default: the backbone's, 224). Lower: a multiple of 32; the final fixed
                                 7×7 AveragePool becomes a GlobalAveragePool and the mean image is resized (area)
          --epochs, --batch      default 10 and 32;  --lr 0.01, --momentum 0.9, --wd 1e-4, --warmup 0 (cosine schedule)
          --per-class N          a seeded class-balanced subset of N training images per class
          --subset N, --val-split F, --seed N, --threads N, --no-flip, --crop-pad PIXELS (default 0)
        Grey data is replicated to B = G = R (as the daemon feeds a grey frame). Validation runs once, after the last
        epoch, which is the one exported (best.onnx).
        """;

    public static int Run(ToolArguments args, string pretrained, ILogger logger, CancellationToken cancellationToken)
    {
        string arch = args.String("arch", "resnet18");
        string data = args.String("data", DataLocation.FashionMnistName);
        string outDir = args.RequiredString("out");
        int threads = args.Int("threads", 0, 0, 256);
        int subset = args.Int("subset", 0, 0, int.MaxValue);
        int perClass = args.Int("per-class", 0, 0, int.MaxValue);
        double valSplit = args.Double("val-split", 0, 0, 0.9);
        int? imageSize = args.Has("imgsz") ? args.Int("imgsz", 224, 32, 1024) : null;
        var options = ParseOptions(args);
        args.EnsureAllUsed();
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
        using var trainer = new TransferTrainer(options, network, input, splits, logger);
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{arch} from {backbone.Name} ({backbone.Source}) at {size}×{size}, freeze {options.Freeze}" +
            (options.UnfreezeAt > 0 ? $" until epoch {options.UnfreezeAt} (then backbone lr ×{options.BackboneLearningRateScale})" : "") +
            $" · {splits.Name}: {splits.Train.Count} train / {splits.Validation.Count} val · {options.Epochs} epochs × {trainer.BatchesPerEpoch} batches of {trainer.BatchSize}" +
            $" · threads {torch.get_num_threads()} · {outDir}"));

        Directory.CreateDirectory(outDir);
        var outcome = trainer.Run(new ConsoleTrainingObserver(null), cancellationToken);
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

    private static TransferOptions ParseOptions(ToolArguments args)
    {
        try
        {
            var options = new TransferOptions
            {
                Epochs = args.Int("epochs", 10, 1, 10_000),
                BatchSize = args.Int("batch", 32, 1, 4096),
                LearningRate = args.Double("lr", 0.01, 1e-6, 10),
                Momentum = args.Double("momentum", 0.9, 0, 0.999),
                WeightDecay = args.Double("wd", 1e-4, 0, 1),
                WarmupEpochs = args.Double("warmup", 0, 0, 1000),
                Freeze = FreezeDepth.Parse(args.String("freeze", "backbone")),
                UnfreezeAt = args.Int("unfreeze-at", 0, 0, 10_000),
                BackboneLearningRateScale = args.Double("backbone-lr-scale", 0.1, 1e-6, 10),
                Seed = args.Int("seed", 1, 0, int.MaxValue),
                Augmentation = new AugmentationOptions { CropPadding = args.Int("crop-pad", 0, 0, 64), HorizontalFlip = !args.Flag("no-flip") },
            };
            options.Validate();
            return options;
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
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
            top1 = outcome.Validation.Top1,
            top5 = outcome.Validation.Top5,
            feature_seconds = outcome.FeatureSeconds,
            total_seconds = outcome.TotalSeconds,
        };
        AtomicFile.WriteText(path, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
    }
}
