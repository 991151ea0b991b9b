using EdgeVision.Onnx.Proto;

namespace EdgeVision.Onnx.Pretrained;

/// <summary>
/// The feature extractor that teaching runs: the same uint8 BGR NHWC <c>images</c> input and exact preprocessing as
/// <see cref="BackboneClassifierModel"/> (both come from <see cref="BackboneFront"/>), the backbone, and
/// <see cref="FeaturesName"/> float [N, F] out. A head taught on these features sees the same numbers in the
/// classifier built from it.
/// </summary>
public static class BackboneFeatureModel
{
    public const string FeaturesName = "features";

    public static ModelProto Build(PretrainedBackbone backbone)
    {
        var front = BackboneFront.Build(backbone, FeaturesName);
        front.Append("Identity", [front.FlatFeatures], FeaturesName);
        front.Output(FeaturesName, backbone.FeatureCount);
        front.Model.MetadataProps.Clear();
        front.Model.DocString = $"{backbone.Name} features: uint8 BGR NHWC images → [N, {backbone.FeatureCount}]";
        return front.Model;
    }
}
