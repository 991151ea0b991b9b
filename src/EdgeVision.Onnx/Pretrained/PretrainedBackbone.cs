using EdgeVision.Core.Model;
using EdgeVision.Onnx.Proto;

namespace EdgeVision.Onnx.Pretrained;

/// <summary>
/// A pretrained feature extractor as an ONNX graph: float [N, 3, H, W] in (preprocessed as <see cref="Preprocessing"/>
/// says), features [N, F] or [N, F, 1, 1] out, the batch dimension symbolic. The graph is owned by this value;
/// builders clone it before they change it.
/// </summary>
public sealed record PretrainedBackbone
{
    /// <summary>Short name recorded in model metadata, e.g. "imagenet-resnet18".</summary>
    public required string Name { get; init; }

    /// <summary>Where the graph came from (a file path), for messages.</summary>
    public required string Source { get; init; }

    public required ModelProto Graph { get; init; }
    public required string InputName { get; init; }
    public required string FeatureName { get; init; }
    public required int FeatureCount { get; init; }
    public required int InputHeight { get; init; }
    public required int InputWidth { get; init; }
    public required BackbonePreprocessing Preprocessing { get; init; }
}
