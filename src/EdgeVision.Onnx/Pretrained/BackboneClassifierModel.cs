using EdgeVision.Core.Model;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Import;
using EdgeVision.Onnx.Proto;
using DataType = EdgeVision.Onnx.Proto.TensorProto.Types.DataType;

namespace EdgeVision.Onnx.Pretrained;

/// <summary>
/// One contract model from a pretrained backbone and a linear head: uint8 BGR NHWC <c>images</c> → the backbone's
/// own preprocessing, exactly (<see cref="BackbonePreprocessing"/>: channel order, scale, mean or mean image,
/// std) → the backbone graph → Flatten → Gemm → <c>logits</c> → Softmax → <c>probabilities</c>. The mean is not
/// folded into the first convolution: that convolution zero-pads, and a zero in normalized space is not a zero pixel.
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
        var pre = backbone.Preprocessing;
        pre.Validate(backbone.InputHeight, backbone.InputWidth);

        var model = backbone.Graph.Clone();
        var graph = model.Graph;
        var taken = GraphNames.All(graph);
        foreach (string ours in new[] { ModelContract.InputName, ModelContract.ProbabilitiesName, ModelContract.LogitsName })
        {
            GraphNames.Evict(graph, ours, taken);
            taken.Add(ours);
        }
        string backboneInput = GraphNames.Fresh(taken, "backbone_input");
        GraphNames.Rename(graph, backbone.InputName, backboneInput);
        string features = backbone.FeatureName == backbone.InputName ? backboneInput : backbone.FeatureName;

        var front = new List<NodeProto>();
        string x = Node(front, taken, "Transpose", [ModelContract.InputName], "images_planar", OnnxAttributes.Ints("perm", 0, 3, 1, 2));
        x = Node(front, taken, "Cast", [x], "images_float", OnnxAttributes.Int("to", (long)DataType.Float));
        if (pre.ChannelOrder == ColorMode.Rgb)
        {
            string order = GraphNames.Fresh(taken, "bgr_to_rgb");
            graph.Initializer.Add(OnnxTensor.FromLongs(order, [2L, 1L, 0L], 3));
            x = Node(front, taken, "Gather", [x, order], "images_rgb", OnnxAttributes.Int("axis", 1));
        }
        // (p·s − m)/σ computed as (p − m/s)·(s/σ): one Sub, and a Mul only where s/σ is not 1.
        float[] mean = Array.ConvertAll(pre.Mean, m => m / pre.PixelScale);
        long[] meanDims = pre.HasMeanImage ? [1, 3, backbone.InputHeight, backbone.InputWidth] : [1, 3, 1, 1];
        string meanName = GraphNames.Fresh(taken, "pixel_mean");
        graph.Initializer.Add(OnnxTensor.FromFloats(meanName, mean, meanDims));
        float[] scale = [.. pre.Std.Select(s => pre.PixelScale / s)];
        bool scaled = scale.Any(s => s != 1f);
        x = Node(front, taken, "Sub", [x, meanName], scaled ? "images_centred" : backboneInput, exactOutput: !scaled);
        if (scaled)
        {
            string scaleName = GraphNames.Fresh(taken, "pixel_scale");
            graph.Initializer.Add(OnnxTensor.FromFloats(scaleName, scale, 1, 3, 1, 1));
            Node(front, taken, "Mul", [x, scaleName], backboneInput, exactOutput: true);
        }
        for (int i = 0; i < front.Count; i++) graph.Node.Insert(i, front[i]);

        string flat = Node(graph.Node, taken, "Flatten", [features], "features_flat", OnnxAttributes.Int("axis", 1));
        string w = GraphNames.Fresh(taken, "head.weight");
        string b = GraphNames.Fresh(taken, "head.bias");
        graph.Initializer.Add(OnnxTensor.FromFloats(w, weights, classes, backbone.FeatureCount));
        graph.Initializer.Add(OnnxTensor.FromFloats(b, bias, classes));
        Node(graph.Node, taken, "Gemm", [flat, w, b], ModelContract.LogitsName, exactOutput: true, OnnxAttributes.Int("transB", 1));
        Node(graph.Node, taken, "Softmax", [ModelContract.LogitsName], ModelContract.ProbabilitiesName, exactOutput: true, OnnxAttributes.Int("axis", 1));

        graph.Input.Clear();
        graph.Input.Add(GraphBuilder.ValueInfo(ModelContract.InputName, DataType.Uint8,
            [TensorDim.Symbolic(ModelContract.BatchDimension), backbone.InputHeight, backbone.InputWidth, ModelContract.InputChannels]));
        graph.Output.Clear();
        graph.Output.Add(GraphBuilder.ValueInfo(ModelContract.ProbabilitiesName, DataType.Float, [TensorDim.Symbolic(ModelContract.BatchDimension), classes]));
        graph.Output.Add(GraphBuilder.ValueInfo(ModelContract.LogitsName, DataType.Float, [TensorDim.Symbolic(ModelContract.BatchDimension), classes]));
        graph.ValueInfo.Clear();

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
        model.MetadataProps.Clear();
        foreach (var (key, value) in full.ToProperties().OrderBy(p => p.Key, StringComparer.Ordinal))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        model.ProducerName = "EdgeVision";
        model.DocString = $"{full.Architecture}: {backbone.Name} backbone + linear head over {classes} labels";
        return model;
    }

    private static string Node(IList<NodeProto> nodes, ISet<string> taken, string op, string[] inputs, string output,
        params AttributeProto[] attributes) => Node(nodes, taken, op, inputs, output, false, attributes);

    private static string Node(IList<NodeProto> nodes, ISet<string> taken, string op, string[] inputs, string output, bool exactOutput,
        params AttributeProto[] attributes) =>
        GraphNames.AddNode(nodes, taken, op, inputs, exactOutput ? output : GraphNames.Fresh(taken, output), attributes);
}
