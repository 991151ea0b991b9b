using EdgeVision.Data;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Training.Model;
using EdgeVision.Training.Runs;
using Microsoft.Extensions.Logging;

namespace EdgeVision.Training.Experiments;

/// <summary>One network's finished (or interrupted) run of the degradation experiment.</summary>
public sealed record DegradationRun(string Architecture, long Parameters, bool Completed, IReadOnlyList<EpochResult> History, string Directory);

/// <summary>
/// He et al. 2015, § 4.2 / Fig. 6: plain and residual networks of two depths trained with one recipe, one after
/// the other, each in its own run directory under the experiment's. Each run is an ordinary <see cref="Trainer"/>
/// run, so an interrupted experiment resumes where it stopped (a finished run is read back, not retrained) and any
/// run can be exported or lesioned like a <c>train</c> run.
/// </summary>
public sealed class DegradationRuns(TrainingOptions recipe, DatasetSplits data, NetworkInput input, string directory, ILogger logger)
{
    public static IReadOnlyList<string> DefaultArchitectures { get; } = ["plain20", "plain56", "resnet20", "resnet56"];

    public string RunDirectory(string architecture) => Path.Combine(directory, architecture);

    /// <summary>Runs (or resumes, or reads back) each architecture in order; stops at the first interrupted one.</summary>
    public IReadOnlyList<DegradationRun> Run(IReadOnlyList<string> architectures, Func<string, ITrainingObserver?> observer, CancellationToken cancellationToken)
    {
        var runs = new List<DegradationRun>();
        foreach (string arch in architectures)
        {
            string dir = RunDirectory(arch);
            var options = recipe with { Architecture = arch };
            Checkpoint? saved = SavedRun.In(dir, options);
            if (saved is not null && saved.State.Epoch >= options.Epochs)
            {
                logger.LogInformation("{Arch}: finished earlier ({Epochs} epochs), read from {Dir}", arch, saved.State.Epoch, dir);
                runs.Add(new DegradationRun(arch, Core.Architecture.ResNetPlan.Build(saved.Spec).ParameterCount, true, saved.State.History, dir));
                continue;
            }
            using var trainer = saved is null ? new Trainer(options, data, input, dir, logger) : Trainer.Resume(saved, data, dir, logger);
            logger.LogInformation("{Arch}: {Action}", arch, saved is null ? "training" : $"resuming at epoch {saved.State.Epoch + 1}");
            var outcome = trainer.Run(observer(arch), cancellationToken);
            runs.Add(new DegradationRun(arch, trainer.Network.Plan.ParameterCount, outcome.Completed, outcome.State.History, dir));
            if (!outcome.Completed) break;
        }
        return runs;
    }
}
