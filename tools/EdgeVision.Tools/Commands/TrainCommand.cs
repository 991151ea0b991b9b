using EdgeVision.Data;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Plots;
using EdgeVision.Tools.Training;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Training.Data;
using EdgeVision.Training.Optimization;
using EdgeVision.Training.Runs;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using TorchSharp;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision train</c>: trains a zoo network with TorchSharp and exports the best epoch as a contract model.</summary>
public sealed class TrainCommand : IToolCommand
{
    public string Name => "train";
    public string Summary => "train a ResNet on Fashion-MNIST or an image folder; writes checkpoints, curves and best.onnx";
    public string Usage => """
        edgevision train --arch resnet20 --data fashion-mnist --epochs 30 --batch 128 --lr 0.1 --wd 5e-4 --out runs/NAME
        edgevision train --resume runs/NAME/last.ckpt

          --arch                 zoo name (edgevision zoo lists them; default resnet20)
          --data                 fashion-mnist (default), a directory of IDX files, or DIR with train/<class>/ and val/<class>/
                                 (no val/, as the daemon's captures: a seeded stratified hold-out, --val-split or 20 %,
                                 at least 1 per class, written to the run as split.csv)
          --imgsz                image-folder input size in pixels (default 64; IDX data keeps 28)
          --epochs, --batch      default 30 and 128
          --lr, --momentum, --wd SGD: default 0.1, 0.9, 5e-4;  --nesterov for Nesterov momentum
          --no-wd-norm-bias  exempt BatchNorm scale/shift and biases from weight decay (default: decay all, as PyTorch)
          --schedule             cosine (default) or step (×0.1 at 50 % and 75 %);  --warmup EPOCHS (default 1)
          --label-smoothing      e.g. 0.1 (default 0)
          --crop-pad PIXELS      random crop after zero padding (default 2; 0 disables);  --no-flip disables flips
          --erasing [P]          random erasing with probability P (default 0.5 when given)
          --stochastic-depth [P] survival probability of the last block (default 0.5 when given)
          --zero-init-residual   zero the last BN γ of each residual branch
          --val-split F          validate on a seeded fraction F of train instead of the test/val split
          --subset N             train on the first N training images only (smoke runs)
          --mean, --std          normalization per network channel, [0,1] scale (defaults: dataset statistics)
          --threads N            TorchSharp intra-op threads (default: all cores)
          --seed N               default 1; shuffling, augmentation and stochastic depth are reproducible
          --out DIR              run directory (checkpoints, metrics.csv, results.png, confusion_matrix.png, best.onnx)
          --resume CKPT          continue a run exactly where the checkpoint left it
        Ctrl-C saves last.ckpt and exits; --resume continues from it.

        """ + TransferRun.Usage;

    public Task<int> RunAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        if (args.String("pretrained") is { } pretrained)
        {
            using var transferLogging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            return Task.FromResult(TransferRun.Run(args, pretrained, transferLogging.CreateLogger<TrainCommand>(), cancellationToken));
        }
        string? resume = args.String("resume");
        string data = args.String("data", DataLocation.FashionMnistName);
        int imageSize = args.Int("imgsz", 64, 8, 1024);
        int subset = args.Int("subset", 0, 0, int.MaxValue);
        double valSplit = args.Double("val-split", 0, 0, 0.9);
        float[]? mean = args.Floats("mean"), std = args.Floats("std");
        int threads = args.Int("threads", 0, 0, 256);
        TrainingOptions? options = null;
        string? outDir;
        if (resume is null)
        {
            options = ParseOptions(args);
            outDir = args.RequiredString("out");
        }
        else
        {
            outDir = args.String("out") ?? Path.GetDirectoryName(Path.GetFullPath(resume));
        }
        args.EnsureAllUsed();
        if (threads > 0) torch.set_num_threads(threads);

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var logger = loggerFactory.CreateLogger<TrainCommand>();
        int seed = options?.Seed ?? 1;
        var splits = DatasetArguments.Load(data, imageSize, logger, valSplit, seed);
        if (subset > 0) splits = splits with { Train = splits.Train.Take(subset) };
        splits = DatasetArguments.ApplyValSplit(splits, valSplit, seed, outDir!);
        SkippedImagesReport.Print(splits.Train);
        if (splits.HoldOut is null) SkippedImagesReport.Print(splits.Validation);

        using var trainer = resume is null
            ? new Trainer(options!, splits, DatasetArguments.Input(splits, mean, std), outDir!, logger)
            : Trainer.Resume(CheckpointFile.Load(resume), splits, outDir!, logger);
        var o = trainer.State.Options;
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{trainer.State.Architecture}: {trainer.Network.Plan.ParameterCount:N0} parameters · {splits.Name}: {splits.Train.Count} train / {splits.Validation.Count} val · " +
            $"{o.Epochs} epochs × {trainer.BatchesPerEpoch} batches of {o.BatchSize} · threads {torch.get_num_threads()} · {outDir}" +
            (resume is null ? "" : $" · resuming at epoch {trainer.State.Epoch + 1} batch {trainer.State.BatchInEpoch}")));

        TrainingOutcome outcome;
        if (Console.IsOutputRedirected)
        {
            outcome = trainer.Run(new ConsoleTrainingObserver(null), cancellationToken);
        }
        else
        {
            outcome = AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx => trainer.Run(new ConsoleTrainingObserver(ctx), cancellationToken));
        }

        RunReport.WriteCurves(outcome.State, outDir!);
        if (!outcome.Completed)
        {
            AnsiConsole.MarkupLine(Markup.Escape($"interrupted: checkpoint {outcome.LastCheckpoint}; continue with: edgevision train --resume {outcome.LastCheckpoint}"));
            return Task.FromResult(130);
        }
        RunReport.Finish(outcome, splits, outDir!);
        return Task.FromResult(0);
    }

    private static TrainingOptions ParseOptions(ToolArguments args)
    {
        string schedule = args.String("schedule", "cosine");
        double erasing = OptionalNumber(args, "erasing", whenBare: 0.5, absent: 0, min: 0, max: 1);
        double survival = OptionalNumber(args, "stochastic-depth", whenBare: 0.5, absent: 1, min: 0.01, max: 1);
        var options = new TrainingOptions
        {
            Architecture = args.String("arch", "resnet20"),
            Epochs = args.Int("epochs", 30, 1, 10_000),
            BatchSize = args.Int("batch", 128, 1, 8192),
            LearningRate = args.Double("lr", 0.1, 1e-6, 10),
            Momentum = args.Double("momentum", 0.9, 0, 0.999),
            Nesterov = args.Flag("nesterov"),
            WeightDecay = args.Double("wd", 5e-4, 0, 1),
            DecayNormAndBias = !args.Flag("no-wd-norm-bias"),
            Schedule = schedule switch
            {
                "cosine" => ScheduleKind.Cosine,
                "step" => ScheduleKind.Step,
                _ => throw new UsageException($"--schedule must be cosine or step, not '{schedule}'"),
            },
            WarmupEpochs = args.Double("warmup", 1, 0, 1000),
            LabelSmoothing = args.Double("label-smoothing", 0, 0, 0.99),
            Seed = args.Int("seed", 1, 0, int.MaxValue),
            FinalSurvivalProbability = survival,
            ZeroInitResidual = args.Flag("zero-init-residual"),
            Augmentation = new AugmentationOptions
            {
                CropPadding = args.Int("crop-pad", 2, 0, 64),
                HorizontalFlip = !args.Flag("no-flip"),
                ErasingProbability = erasing,
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

    // "--erasing" alone means the paper default; "--erasing 0.3" sets it.
    private static double OptionalNumber(ToolArguments args, string key, double whenBare, double absent, double min, double max)
    {
        if (!args.Has(key)) return absent;
        try
        {
            return args.Double(key, absent, min, max);
        }
        catch (UsageException) when (args.Flag(key))
        {
            return whenBare;
        }
    }
}
