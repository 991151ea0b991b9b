using EdgeVision.Core.Model;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Proto;

namespace EdgeVision.Onnx.Pretrained;

/// <summary>
/// One contract model from a pretrained backbone and a linear head: uint8 BGR NHWC <c>images</c> → the backbone's
/// own preprocessing, exactly (<see cref="BackboneFront"/>) → the backbone graph → Flatten → Gemm → <c>logits</c>
/// → Softmax → <c>probabilities</c>.
/// </summary>
public static class BackboneClassifierModel
{
    /// <param name="weights">The head, row-major [classes, features].</param>
    /// <param name="bias">The head's bias, [classes].</param>
    /// <param name="metadata">Labels, architecture and provenance; input size, colour order, mean and std are set from the backbone.</param>
    public static ModelProto Build(PretrainedBackbone backbone, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(metadata);
        int classes = metadata.Labels.Count;
        if (classes < 2) throw new ModelContractException($"a classifier needs at least 2 labels, {classes} given");
        if (weights.Length != classes * backbone.FeatureCount)
            throw new ModelContractException($"head weights have {weights.Length} values; {classes} labels × {backbone.FeatureCount} features = {classes * backbone.FeatureCount} are needed");
        if (bias.Length != classes) throw new ModelContractException($"head bias has {bias.Length} values, {classes} labels need {classes}");

        var front = BackboneFront.Build(backbone, ModelContract.ProbabilitiesName, ModelContract.LogitsName);
        string w = front.Initializer("head.weight", weights, classes, backbone.FeatureCount);
        string b = front.Initializer("head.bias", bias, classes);
        front.Append("Gemm", [front.FlatFeatures, w, b], ModelContract.LogitsName, OnnxAttributes.Int("transB", 1));
        front.Append("Softmax", [ModelContract.LogitsName], ModelContract.ProbabilitiesName, OnnxAttributes.Int("axis", 1));
        front.Output(ModelContract.ProbabilitiesName, classes);
        front.Output(ModelContract.LogitsName, classes);

        var pre = backbone.Preprocessing;
        var (metaMean, metaStd) = pre.ToMetadataScale();
        var full = metadata with
        {
            InputWidth = backbone.InputWidth,
            InputHeight = backbone.InputHeight,
            Color = pre.ChannelOrder,
            Mean = metaMean,
            Std = metaStd,
            Pretrained = metadata.Pretrained ?? backbone.Name,
        };
        full.Validate();
        var model = front.Model;
        model.MetadataProps.Clear();
        foreach (var (key, value) in full.ToProperties().OrderBy(p => p.Key, StringComparer.Ordinal))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        model.DocString = $"{full.Architecture}: {backbone.Name} backbone + linear head over {classes} labels";
        return model;
    }
}
