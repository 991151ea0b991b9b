using EdgeVision.Core.Model;

namespace EdgeVision.Training.Checkpoints;

/// <summary>The contract-model metadata a checkpoint implies (labels, input, normalization, dataset, accuracy).</summary>
public static class CheckpointMetadata
{
    /// <param name="resize">How the daemon fits a frame to the input; null = <see cref="DefaultResize"/>.</param>
    public static ModelMetadata Create(CheckpointState state, double? top1, double? top5, DateTimeOffset? trainedAt = null, ResizePolicy? resize = null)
    {
        var metadata = new ModelMetadata
        {
            Labels = state.Labels,
            Architecture = state.Architecture,
            InputWidth = state.InputWidth,
            InputHeight = state.InputHeight,
            Color = state.Color,
            Mean = state.Mean,
            Std = state.Std,
            Resize = resize ?? DefaultResize(state.Dataset),
            Precision = Precision.Fp32,
            Dataset = state.Dataset,
            Top1 = top1,
            Top5 = top5,
            TrainedAt = trainedAt ?? state.SavedAt,
        };
        metadata.Validate();
        return metadata;
    }

    /// <summary>
    /// Validation top-1/top-5 of the weights this checkpoint holds: those of its own epoch (last.ckpt is the
    /// newest epoch, best.ckpt the best one), not the run's best, which may belong to other weights; none for
    /// a checkpoint saved in the middle of an epoch (Ctrl-C), whose weights were never validated.
    /// </summary>
    public static (double? Top1, double? Top5) ValidatedAccuracy(CheckpointState state)
    {
        if (state.BatchInEpoch != 0) return (null, null);
        var own = state.History.LastOrDefault(h => h.Epoch == state.Epoch);
        return own is null ? (null, null) : (own.ValidationAccuracy, own.ValidationTop5);
    }

    /// <summary>
    /// The resize policy that matches how the training images were shaped. Fashion-MNIST images are square
    /// crops of the garment, so a camera frame must keep its aspect ratio (centre square, as the demo's reticle
    /// shows); stretching a 4:3 frame squashes the object and costs tens of points of accuracy. ImageFolder
    /// images are stretched to the input size by the loader, so the daemon stretches too.
    /// </summary>
    public static ResizePolicy DefaultResize(string? dataset) =>
        string.Equals(dataset, "fashion-mnist", StringComparison.Ordinal) ? ResizePolicy.CenterCrop : ResizePolicy.Stretch;
}
