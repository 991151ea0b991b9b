using EdgeVision.Training.Data;
using EdgeVision.Training.Optimization;

namespace EdgeVision.Training.Transfer;

/// <summary>Everything that decides a transfer-learning run (<c>edgevision train --pretrained …</c>).</summary>
public sealed record TransferOptions
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 0.01;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 1e-4;
    public FreezeDepth Freeze { get; init; } = FreezeDepth.Backbone;

    /// <summary>The epoch (1-based) from which the whole backbone trains too; 0 never unfreezes.</summary>
    public int UnfreezeAt { get; init; }

    /// <summary>The backbone's learning rate as a fraction of the head's, once it trains.</summary>
    public double BackboneLearningRateScale { get; init; } = 0.1;
    /// <summary>
    /// BatchNorm layers that train keep normalising with the pretrained running statistics and never update them (their
    /// scale and shift still learn), as in detection back-ends' frozen BN: batch statistics of a few hundred small,
    /// grey images are a poor estimate of the feature distribution the convolutions were trained against.
    /// </summary>
    public bool KeepBatchNormStatistics { get; init; }
    public double WarmupEpochs { get; init; }
    public int Seed { get; init; } = 1;

    /// <summary>Applied to images in live (not cached) epochs; cached features are of unaugmented images.</summary>
    public AugmentationOptions Augmentation { get; init; } = new() { HorizontalFlip = true };
    public int EvalBatchSize { get; init; } = 50;

    /// <summary>
    /// The optimizer and schedule these options decide: plain momentum, decay on every parameter, one cosine over all
    /// epochs; the backbone's optimizer steps at <see cref="BackboneLearningRateScale"/> times the scheduled rate.
    /// </summary>
    public SgdRecipe Sgd() => new(LearningRate, Momentum, Nesterov: false, WeightDecay, DecayNormAndBias: true, ScheduleKind.Cosine, WarmupEpochs, Epochs);

    public void Validate()
    {
        if (Epochs is < 1 or > 10_000) throw new ArgumentException($"epochs must be in 1..10000, not {Epochs}");
        if (BatchSize is < 1 or > 4096) throw new ArgumentException($"batch size must be in 1..4096, not {BatchSize}");
        Sgd().Validate();
        if (UnfreezeAt < 0 || UnfreezeAt > Epochs) throw new ArgumentException($"--unfreeze-at must be in 1..{Epochs} (or absent), not {UnfreezeAt}");
        if (UnfreezeAt > 0 && !Freeze.FreezesAnything) throw new ArgumentException("--unfreeze-at needs a --freeze other than none");
        if (KeepBatchNormStatistics && Freeze.IsWholeBackbone && UnfreezeAt == 0)
            throw new ArgumentException("--keep-bn-stats needs a backbone part that trains (a --freeze short of backbone, or --unfreeze-at)");
        if (!(BackboneLearningRateScale > 0) || BackboneLearningRateScale > 10) throw new ArgumentException($"--backbone-lr-scale must be in (0, 10], not {BackboneLearningRateScale}");
        if (EvalBatchSize is < 1 or > 4096) throw new ArgumentException($"evaluation batch must be in 1..4096, not {EvalBatchSize}");
        Augmentation.Validate();
    }
}
