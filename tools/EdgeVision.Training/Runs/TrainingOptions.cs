using EdgeVision.Data;
using EdgeVision.Training.Data;
using EdgeVision.Training.Optimization;

namespace EdgeVision.Training.Runs;

/// <summary>Everything that decides a training run; saved in every checkpoint so --resume needs nothing else.</summary>
public sealed record TrainingOptions
{
    public string Architecture { get; init; } = "resnet20";
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 128;
    public double LearningRate { get; init; } = 0.1;
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; } = true;
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Whether <see cref="WeightDecay"/> also applies to BatchNorm scale/shift and biases (PyTorch's default; checkpoints from before this option had it).</summary>
    public bool DecayNormAndBias { get; init; } = true;
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Cosine;
    public double WarmupEpochs { get; init; } = 1;
    public double LabelSmoothing { get; init; }
    public int Seed { get; init; } = 1;

    /// <summary>Stochastic depth survival probability of the last block; 1 disables.</summary>
    public double FinalSurvivalProbability { get; init; } = 1.0;
    public bool ZeroInitResidual { get; init; }
    public AugmentationOptions Augmentation { get; init; } = new() { CropPadding = 2, HorizontalFlip = true };
    public int EvalBatchSize { get; init; } = 500;

    /// <summary>The optimizer and schedule these options decide (a method, not a property: checkpoints serialise the options).</summary>
    public SgdRecipe Sgd() => new(LearningRate, Momentum, Nesterov, WeightDecay, DecayNormAndBias, Schedule, WarmupEpochs, Epochs);

    public void Validate()
    {
        if (Epochs is < 1 or > 10_000) throw new ArgumentException($"epochs must be in 1..10000, not {Epochs}");
        if (BatchSize is < 1 or > 8192) throw new ArgumentException($"batch size must be in 1..8192, not {BatchSize}");
        Sgd().Validate();
        if (LabelSmoothing is < 0 or >= 1) throw new ArgumentException($"label smoothing must be in [0, 1), not {LabelSmoothing}");
        if (!(FinalSurvivalProbability > 0 && FinalSurvivalProbability <= 1)) throw new ArgumentException($"stochastic depth survival must be in (0, 1], not {FinalSurvivalProbability}");
        if (EvalBatchSize is < 1 or > 8192) throw new ArgumentException($"evaluation batch must be in 1..8192, not {EvalBatchSize}");
        Augmentation.Validate();
    }
}
