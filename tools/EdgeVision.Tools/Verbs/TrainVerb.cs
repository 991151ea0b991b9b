using System.CommandLine;
using System.CommandLine.Parsing;
using EdgeVision.Data;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Commands;
using EdgeVision.Tools.Training;
using EdgeVision.Training.Data;
using EdgeVision.Training.Optimization;
using EdgeVision.Training.Runs;
using EdgeVision.Training.Transfer;
using Microsoft.Extensions.Logging;

namespace EdgeVision.Tools.Verbs;

/// <summary>
/// <c>edgevision train</c>: its options, for three runs — from scratch, <c>--resume</c> and <c>--pretrained</c> — whose
/// defaults differ (the factories look at --pretrained; help shows the from-scratch ones and names the others).
/// Options that one kind of run does not use are refused for it, as before. <see cref="TrainCommand"/> and
/// <see cref="TransferRun"/> do the work.
/// </summary>
public sealed class TrainVerb : Command
{
    /// <summary>The input size of the ImageNet ResNet-18 backbone (<see cref="PretrainedBackbones.ImageNet"/>).</summary>
    public const int ImageNetInputSize = 224;

    private readonly Option<string?> _pretrained = CliOptions.OptionalString("--pretrained",
        "start from a pretrained backbone: imagenet (the ImageNet ResNet-18), FILE.onnx, FILE.pth or FILE.safetensors (a torchvision state dict)", "imagenet|FILE");
    private readonly Option<string?> _resume = CliOptions.OptionalString("--resume", "continue a run exactly where the checkpoint left it", "CKPT");
    private readonly Option<string> _data = CliOptions.String("--data",
        "fashion-mnist, a directory of IDX files, or DIR with train/<class>/ and val/<class>/ (no val/, as the daemon's captures: a seeded " +
        "stratified hold-out, --val-split or 20 %, at least 1 per class, written to the run as split.csv)", DataLocation.FashionMnistName, "fashion-mnist|DIR");
    private readonly Option<string?> _out = CliOptions.OptionalString("--out",
        "run directory (checkpoints, metrics.csv, results.png, confusion_matrix.png, best.onnx); required unless --resume", "DIR");
    private readonly Option<int> _subset = CliOptions.Int("--subset", "train on the first N training images only (smoke runs; 0: all)", 0, 0, int.MaxValue);
    private readonly Option<double> _valSplit = CliOptions.Double("--val-split", "validate on a seeded fraction F of train instead of the test/val split (0: no)", 0, 0, 0.9);
    private readonly Option<int> _threads = CliOptions.Int("--threads", "TorchSharp intra-op threads (0: all cores)", 0, 0, 256);
    private readonly Option<bool> _noFlip = CliOptions.Flag("--no-flip", "no random horizontal flips");
    private readonly Option<int> _seed = CliOptions.Int("--seed", "shuffling, augmentation and stochastic depth are reproducible", 1, 0, int.MaxValue);
    private readonly Option<double> _momentum = CliOptions.Double("--momentum", "SGD momentum", 0.9, 0, 0.999);

    // From scratch only.
    private readonly Option<bool> _nesterov = CliOptions.Flag("--nesterov", "Nesterov momentum");
    private readonly Option<bool> _noWdNormBias = CliOptions.Flag("--no-wd-norm-bias", "exempt BatchNorm scale/shift and biases from weight decay (default: decay all, as PyTorch)");
    private readonly Option<string> _schedule = CliOptions.Choice("--schedule", "cosine, or step (×0.1 at 50 % and 75 %)", "cosine", "cosine", "step");
    private readonly Option<double> _labelSmoothing = CliOptions.Double("--label-smoothing", "e.g. 0.1", 0, 0, 0.99);
    private readonly Option<double> _erasing = CliOptions.FlagOrNumber("--erasing", "random erasing with probability P (--erasing alone: 0.5)", whenBare: 0.5, absent: 0, 0, 1);
    private readonly Option<double> _stochasticDepth = CliOptions.FlagOrNumber("--stochastic-depth",
        "survival probability P of the last block (--stochastic-depth alone: 0.5; 1: off)", whenBare: 0.5, absent: 1, 0.01, 1);
    private readonly Option<bool> _zeroInitResidual = CliOptions.Flag("--zero-init-residual", "zero the last BN γ of each residual branch");
    private readonly Option<float[]?> _mean = CliOptions.Numbers("--mean", "normalization mean per network channel, [0,1] scale (default: dataset statistics)");
    private readonly Option<float[]?> _std = CliOptions.Numbers("--std", "normalization std per network channel, [0,1] scale (default: dataset statistics)");

    // With --pretrained only.
    private readonly Option<string> _freeze = CliOptions.String("--freeze",
        "with --pretrained: none | stem | layer1 … layer4 | backbone (only the new head learns, over backbone features computed once per image and cached)",
        "backbone", "none|stem|layer1…layer4|backbone");
    private readonly Option<bool> _keepBnStats = CliOptions.Flag("--keep-bn-stats",
        "with --pretrained: BatchNorm layers that train keep the pretrained running statistics (scale and shift still learn)");
    private readonly Option<int> _unfreezeAt = CliOptions.Int("--unfreeze-at", "with --pretrained: from this epoch (1-based) the whole backbone trains too (0: never)", 0, 0, 10_000);
    private readonly Option<double> _backboneLrScale = CliOptions.Double("--backbone-lr-scale", "with --pretrained: the backbone's learning rate as a multiple of --lr", 0.1, 1e-6, 10);
    private readonly Option<int> _perClass = CliOptions.Int("--per-class", "with --pretrained: a seeded class-balanced subset of N training images per class (0: all)", 0, 0, int.MaxValue);

    // Defaults that depend on --pretrained.
    private readonly Option<string> _arch;
    private readonly Option<int?> _imgsz;
    private readonly Option<int> _epochs;
    private readonly Option<int> _batch;
    private readonly Option<double> _lr;
    private readonly Option<double> _wd;
    private readonly Option<double> _warmup;
    private readonly Option<int> _cropPad;

    public TrainVerb() : base("train", """
        train a ResNet on Fashion-MNIST or an image folder; writes checkpoints, curves and best.onnx
          edgevision train --arch resnet20 --data fashion-mnist --epochs 30 --batch 128 --lr 0.1 --wd 5e-4 --out runs/NAME
          edgevision train --resume runs/NAME/last.ckpt
          edgevision train --arch resnet18 --pretrained imagenet|FILE.onnx|FILE.pth|FILE.safetensors --data DIR --out runs/NAME
        Ctrl-C saves last.ckpt and exits; --resume continues from it. With --pretrained grey data is replicated to B = G = R
        (as the daemon feeds a grey frame) and validation runs once, after the last epoch, which is the one exported (best.onnx).
        """)
    {
        _arch = new Option<string>("--arch")
        {
            Description = "zoo name (edgevision zoo lists them; --pretrained: resnet18)",
            HelpName = "name",
            DefaultValueFactory = r => Pretrained(r) is null ? "resnet20" : "resnet18",
        };
        _imgsz = new Option<int?>("--imgsz")
        {
            Description = "image-folder input size in pixels (IDX data keeps 28). --pretrained: the backbone's (224 for imagenet); lower: a multiple " +
                "of 32, the final fixed 7×7 AveragePool becomes a GlobalAveragePool and the mean image is resized (area)",
            HelpName = "int",
            DefaultValueFactory = r => Pretrained(r) switch
            {
                null => 64,
                var p when string.Equals(p, PretrainedBackbones.ImageNet, StringComparison.OrdinalIgnoreCase) => ImageNetInputSize,
                _ => null,
            },
            CustomParser = r => CliOptions.ParseInt(r, "--imgsz", 8, 1024),
        };
        _epochs = CliOptions.Int("--epochs", "epochs (--pretrained: 10)", r => Pretrained(r) is null ? 30 : 10, 1, 10_000);
        _batch = CliOptions.Int("--batch", "images per batch (--pretrained: 32, at most 4096)", r => Pretrained(r) is null ? 128 : 32, 1, 8192);
        _lr = CliOptions.Double("--lr", "SGD learning rate (--pretrained: 0.01, the head's)", r => Pretrained(r) is null ? 0.1 : 0.01, 1e-6, 10);
        _wd = CliOptions.Double("--wd", "SGD weight decay (--pretrained: 1e-4)", r => Pretrained(r) is null ? 5e-4 : 1e-4, 0, 1);
        _warmup = CliOptions.Double("--warmup", "warm-up epochs before the schedule (--pretrained: 0; cosine schedule)", r => Pretrained(r) is null ? 1 : 0, 0, 1000);
        _cropPad = CliOptions.Int("--crop-pad", "random crop after zero padding of this many pixels (0 disables; --pretrained: 0)", r => Pretrained(r) is null ? 2 : 0, 0, 64);

        foreach (Option option in new Option[]
                 {
                     _arch, _data, _imgsz, _epochs, _batch, _lr, _momentum, _nesterov, _wd, _noWdNormBias, _schedule, _warmup, _labelSmoothing, _cropPad,
                     _noFlip, _erasing, _stochasticDepth, _zeroInitResidual, _valSplit, _subset, _mean, _std, _threads, _seed, _out, _resume,
                     _pretrained, _freeze, _unfreezeAt, _backboneLrScale, _keepBnStats, _perClass,
                 })
            Add(option);
        _schedule.CompletionSources.Add("cosine", "step");
        _freeze.CompletionSources.Add("none", "stem", "layer1", "layer2", "layer3", "layer4", "backbone");
        _pretrained.CompletionSources.Add(PretrainedBackbones.ImageNet);
        Validators.Add(Refuse);
        SetAction((parse, ct) => Task.FromResult(Run(parse, ct)));
    }

    private Option[] ScratchOnly => [_resume, _nesterov, _noWdNormBias, _schedule, _labelSmoothing, _erasing, _stochasticDepth, _zeroInitResidual, _mean, _std];

    private Option[] PretrainedOnly => [_freeze, _unfreezeAt, _backboneLrScale, _keepBnStats, _perClass];

    /// <summary>What a checkpoint fixes: a resumed run continues with the checkpoint's own.</summary>
    private Option[] CheckpointRecipe => [_arch, _epochs, _batch, _lr, _momentum, _nesterov, _wd, _noWdNormBias, _schedule, _warmup, _labelSmoothing, _seed,
        _erasing, _stochasticDepth, _zeroInitResidual, _cropPad, _noFlip];

    private void Refuse(CommandResult r)
    {
        bool pretrained = r.IsGiven(_pretrained), resume = r.IsGiven(_resume);
        foreach (var o in ScratchOnly.Where(o => pretrained && r.IsGiven(o))) r.AddError($"{o.Name} does not apply to training with --pretrained");
        foreach (var o in PretrainedOnly.Where(o => !pretrained && r.IsGiven(o))) r.AddError($"{o.Name} needs --pretrained");
        if (resume && !pretrained)
            foreach (var o in CheckpointRecipe.Where(r.IsGiven)) r.AddError($"{o.Name} does not apply with --resume: the run continues with its checkpoint's settings");
        if (!resume && !r.IsGiven(_out)) r.AddError("--out is required");
        if (pretrained && r.GetValue(_imgsz) is < 32 and var size) r.AddError($"--imgsz must be in 32..1024 with --pretrained, not {size}");
        if (pretrained && r.GetValue(_batch) is > 4096 and var batch) r.AddError($"--batch must be in 1..4096 with --pretrained, not {batch}");
    }

    private string? Pretrained(SymbolResult r) => r.GetResult(_pretrained)?.GetValueOrDefault<string?>();

    private int Run(ParseResult parse, CancellationToken cancellationToken)
    {
        if (!parse.IsGiven(_pretrained)) return TrainCommand.Run(BindScratch(parse), cancellationToken);
        using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        return TransferRun.Run(BindTransfer(parse), logging.CreateLogger(typeof(TrainCommand)), cancellationToken);
    }

    /// <summary>A from-scratch or resumed run; the recipe is validated here, so a bad combination is a usage error.</summary>
    public TrainArguments BindScratch(ParseResult parse)
    {
        string? resume = parse.GetValue(_resume);
        string outDir = parse.GetValue(_out) ?? Path.GetDirectoryName(Path.GetFullPath(resume!))!;
        return new TrainArguments(resume, parse.GetValue(_data)!, parse.GetValue(_imgsz) ?? 64, parse.GetValue(_subset), parse.GetValue(_valSplit),
            parse.ValueIfGiven(_mean), parse.ValueIfGiven(_std), parse.GetValue(_threads), outDir, resume is null ? Recipe(parse) : null);
    }

    public TransferArguments BindTransfer(ParseResult parse)
    {
        TransferOptions options;
        try
        {
            options = new TransferOptions
            {
                Epochs = parse.GetValue(_epochs),
                BatchSize = parse.GetValue(_batch),
                LearningRate = parse.GetValue(_lr),
                Momentum = parse.GetValue(_momentum),
                WeightDecay = parse.GetValue(_wd),
                WarmupEpochs = parse.GetValue(_warmup),
                Freeze = FreezeDepth.Parse(parse.GetValue(_freeze)!),
                UnfreezeAt = parse.GetValue(_unfreezeAt),
                BackboneLearningRateScale = parse.GetValue(_backboneLrScale),
                KeepBatchNormStatistics = parse.GetValue(_keepBnStats),
                Seed = parse.GetValue(_seed),
                Augmentation = new AugmentationOptions { CropPadding = parse.GetValue(_cropPad), HorizontalFlip = !parse.GetValue(_noFlip) },
            };
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        return new TransferArguments(parse.GetValue(_pretrained)!, parse.GetValue(_arch)!, parse.GetValue(_data)!, parse.GetValue(_out)!, parse.GetValue(_threads),
            parse.GetValue(_subset), parse.GetValue(_perClass), parse.GetValue(_valSplit), parse.GetValue(_imgsz), options);
    }

    private TrainingOptions Recipe(ParseResult parse)
    {
        var options = new TrainingOptions
        {
            Architecture = parse.GetValue(_arch)!,
            Epochs = parse.GetValue(_epochs),
            BatchSize = parse.GetValue(_batch),
            LearningRate = parse.GetValue(_lr),
            Momentum = parse.GetValue(_momentum),
            Nesterov = parse.GetValue(_nesterov),
            WeightDecay = parse.GetValue(_wd),
            DecayNormAndBias = !parse.GetValue(_noWdNormBias),
            Schedule = parse.GetValue(_schedule) == "step" ? ScheduleKind.Step : ScheduleKind.Cosine,
            WarmupEpochs = parse.GetValue(_warmup),
            LabelSmoothing = parse.GetValue(_labelSmoothing),
            Seed = parse.GetValue(_seed),
            FinalSurvivalProbability = parse.GetValue(_stochasticDepth),
            ZeroInitResidual = parse.GetValue(_zeroInitResidual),
            Augmentation = new AugmentationOptions
            {
                CropPadding = parse.GetValue(_cropPad),
                HorizontalFlip = !parse.GetValue(_noFlip),
                ErasingProbability = parse.GetValue(_erasing),
            },
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        return options;
    }
}
