using EdgeVision.Data;
using EdgeVision.Tools.Cli;
using EdgeVision.Tools.Plots;
using EdgeVision.Tools.Training;
using EdgeVision.Tools.Verbs;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Training.Data;
using EdgeVision.Training.Optimization;
using EdgeVision.Training.Runs;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using TorchSharp;

namespace EdgeVision.Tools.Commands;

/// <summary><c>edgevision train</c>: trains a zoo network with TorchSharp and exports the best epoch as a contract model.</summary>
public static class TrainCommand
{
    /// <summary>From scratch, or <c>--resume</c> (<see cref="TrainArguments.Options"/> null); --pretrained runs go to <see cref="TransferRun"/>.</summary>
    public static int Run(TrainArguments args, CancellationToken cancellationToken)
    {
        var (resume, data, imageSize, subset, valSplit, mean, std) = (args.Resume, args.Data, args.ImageSize, args.Subset, args.ValSplit, args.Mean, args.Std);
        var (threads, outDir, options) = (args.Threads, args.Out, args.Options);
        if (threads > 0) torch.set_num_threads(threads);

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var logger = loggerFactory.CreateLogger(typeof(TrainCommand));
        int seed = options?.Seed ?? 1;
        var splits = DatasetArguments.Load(data, imageSize, logger, valSplit, seed);
        if (subset > 0) splits = splits with { Train = splits.Train.Take(subset) };
        splits = DatasetArguments.ApplyValSplit(splits, valSplit, seed, outDir);
        SkippedImagesReport.Print(splits.Train);
        if (splits.HoldOut is null) SkippedImagesReport.Print(splits.Validation);

        using var trainer = resume is null
            ? new Trainer(options!, splits, DatasetArguments.Input(splits, mean, std), outDir, logger)
            : Trainer.Resume(CheckpointFile.Load(resume), splits, outDir, logger);
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

        RunReport.WriteCurves(outcome.State, outDir);
        if (!outcome.Completed)
        {
            AnsiConsole.MarkupLine(Markup.Escape($"interrupted: checkpoint {outcome.LastCheckpoint}; continue with: edgevision train --resume {outcome.LastCheckpoint}"));
            return 130;
        }
        RunReport.Finish(outcome, splits, outDir);
        return 0;
    }
}
