using static TorchSharp.torch;

namespace EdgeVision.Training.Optimization;

/// <summary>
/// What a run's options decide about optimisation, and the one place that turns it into an <see cref="SgdOptimizer"/>
/// per trained module and the <see cref="LearningRateSchedule"/> over the run's steps (training from scratch and
/// transfer learning alike).
/// </summary>
public sealed record SgdRecipe(
    double LearningRate, double Momentum, bool Nesterov, double WeightDecay, bool DecayNormAndBias,
    ScheduleKind Schedule, double WarmupEpochs, int Epochs)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the setting out of range.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || LearningRate > 10) throw new ArgumentException($"learning rate must be in (0, 10], not {LearningRate}");
        if (Momentum is < 0 or >= 1) throw new ArgumentException($"momentum must be in [0, 1), not {Momentum}");
        if (Nesterov && Momentum == 0) throw new ArgumentException("Nesterov needs a momentum above 0");
        if (WeightDecay is < 0 or > 1) throw new ArgumentException($"weight decay must be in [0, 1], not {WeightDecay}");
        if (WarmupEpochs < 0 || WarmupEpochs > Epochs) throw new ArgumentException($"warm-up must be in 0..{Epochs} epochs, not {WarmupEpochs}");
    }

    public SgdOptimizer OptimizerFor(nn.Module module) => new(module, Momentum, Nesterov, WeightDecay, DecayNormAndBias);

    public LearningRateSchedule ScheduleFor(int stepsPerEpoch) => new(LearningRate, Schedule, WarmupEpochs, Epochs, stepsPerEpoch);
}
