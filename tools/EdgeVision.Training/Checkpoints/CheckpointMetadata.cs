using EdgeVision.Core.Model;

namespace EdgeVision.Training.Checkpoints;

/// <summary>The contract-model metadata a checkpoint implies (labels, input, normalization, dataset, accuracy).</summary>
public static class CheckpointMetadata
{
    public static ModelMetadata Create(CheckpointState state, double? top1, double? top5, DateTimeOffset? trainedAt = null)
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
            Resize = ResizePolicy.Stretch,
            Precision = Precision.Fp32,
            Dataset = state.Dataset,
            Top1 = top1,
            Top5 = top5,
            TrainedAt = trainedAt ?? state.SavedAt,
        };
        metadata.Validate();
        return metadata;
    }
}
