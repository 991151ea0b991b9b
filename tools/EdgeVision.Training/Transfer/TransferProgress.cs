using EdgeVision.Core.Architecture;
using EdgeVision.Training.Runs;

namespace EdgeVision.Training.Transfer;

/// <summary>The JSON header of a transfer progress file: which run it belongs to and how far it got.</summary>
public sealed record TransferProgressState
{
    public const int CurrentFormat = 1;

    /// <summary><see cref="TransferFingerprint"/> of the run that saved it; a resume must match it exactly.</summary>
    public required IReadOnlyDictionary<string, string> Fingerprint { get; init; }

    /// <summary>Epochs completed; the run continues with epoch <c>EpochsDone + 1</c> (1-based).</summary>
    public required int EpochsDone { get; init; }
    public required IReadOnlyList<EpochResult> History { get; init; }

    /// <summary>Seconds spent caching backbone features, and in the run in all, up to the save.</summary>
    public required double FeatureSeconds { get; init; }
    public required double ElapsedSeconds { get; init; }
    public DateTimeOffset SavedAt { get; init; }
}

/// <summary>
/// A transfer run after a completed epoch: the header, the whole <see cref="TransferNetwork"/> state (backbone and head
/// parameters, BatchNorm running statistics) and both optimizers' momentum buffers.
/// </summary>
public sealed record TransferProgress(
    TransferProgressState State,
    IReadOnlyDictionary<string, TensorData> Weights,
    IReadOnlyDictionary<string, TensorData> BackboneMomentum,
    IReadOnlyDictionary<string, TensorData> HeadMomentum);

/// <summary>Where a transfer run keeps its progress, and the backbone it starts from as a person names it (name and source).</summary>
public sealed record TransferProgressTarget(string Path, string Backbone);
