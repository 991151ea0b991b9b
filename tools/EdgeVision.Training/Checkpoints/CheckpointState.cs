using EdgeVision.Core.Model;
using EdgeVision.Training.Runs;

namespace EdgeVision.Training.Checkpoints;

/// <summary>The JSON header of a checkpoint: enough to rebuild the network, its metadata and the run.</summary>
public sealed record CheckpointState
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public required TrainingOptions Options { get; init; }
    public required string Architecture { get; init; }
    public required int InputChannels { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    public required ColorMode Color { get; init; }
    public required float[] Mean { get; init; }
    public required float[] Std { get; init; }
    public required int InputHeight { get; init; }
    public required int InputWidth { get; init; }
    public required string Dataset { get; init; }

    /// <summary>Epochs fully done (0-based index of the epoch in progress).</summary>
    public int Epoch { get; init; }

    /// <summary>Batches already done in epoch <see cref="Epoch"/>; non-zero only for an interrupted run.</summary>
    public int BatchInEpoch { get; init; }

    /// <summary>Running sums of the interrupted epoch, so a resumed epoch reports the same numbers.</summary>
    public double PartialLossSum { get; init; }
    public long PartialCorrect { get; init; }
    public long PartialSeen { get; init; }
    public double PartialSeconds { get; init; }

    public double BestValidationAccuracy { get; init; } = -1;
    public double BestValidationTop5 { get; init; } = -1;
    public int BestEpoch { get; init; } = -1;
    public IReadOnlyList<EpochResult> History { get; init; } = [];
    public DateTimeOffset SavedAt { get; init; }
}
