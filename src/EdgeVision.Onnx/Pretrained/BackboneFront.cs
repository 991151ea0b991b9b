using EdgeVision.Core.Model;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Import;
using EdgeVision.Onnx.Proto;
using DataType = EdgeVision.Onnx.Proto.TensorProto.Types.DataType;

namespace EdgeVision.Onnx.Pretrained;

/// <summary>
/// The shared front of every graph built on a pretrained backbone: a clone of the backbone with the contract's
/// uint8 BGR NHWC <c>images</c> input and the backbone's exact preprocessing (<see cref="BackbonePreprocessing"/>:
/// channel order, scale, mean or mean image, std) in front of it, flattened to [N, F] features. The mean is not
/// folded into the first convolution: that convolution zero-pads, and a zero in normalized space is not a zero pixel.
/// The classifier (<see cref="BackboneClassifierModel"/>) and the feature extractor (<see cref="BackboneFeatureModel"/>)
/// add their outputs to it, so the features a head is taught on are exactly those it sees at inference.
/// </summary>
internal sealed class BackboneFront
{
    private BackboneFront(ModelProto model, HashSet<string> taken, string features)
    {
        Model = model;
        Taken = taken;
        FlatFeatures = features;
    }

    public ModelProto Model { get; }
    public GraphProto Graph => Model.Graph;

    /// <summary>Every name in the graph; new nodes take fresh names from it.</summary>
    public HashSet<string> Taken { get; }

    /// <summary>The backbone's features as [N, F].</summary>
    public string FlatFeatures { get; }

    /// <param name="reserved">Names the caller's outputs will take; anything in the backbone called so is renamed.</param>
    public static BackboneFront Build(PretrainedBackbone backbone, params string[] reserved)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var pre = backbone.Preprocessing;
        pre.Validate(backbone.InputHeight, backbone.InputWidth);

        var model = backbone.Graph.Clone();
        var graph = model.Graph;
        var taken = GraphNames.All(graph);
        foreach (string ours in reserved.Prepend(ModelContract.InputName))
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
        x = scaled
            ? Node(front, taken, "Sub", [x, meanName], "images_centred")
            : GraphNames.AddNode(front, taken, "Sub", [x, meanName], backboneInput);
        if (scaled)
        {
            string scaleName = GraphNames.Fresh(taken, "pixel_scale");
            graph.Initializer.Add(OnnxTensor.FromFloats(scaleName, scale, 1, 3, 1, 1));
            GraphNames.AddNode(front, taken, "Mul", [x, scaleName], backboneInput);
        }
        for (int i = 0; i < front.Count; i++) graph.Node.Insert(i, front[i]);

        string flat = Node(graph.Node, taken, "Flatten", [features], "features_flat", OnnxAttributes.Int("axis", 1));
        graph.Input.Clear();
        graph.Input.Add(GraphBuilder.ValueInfo(ModelContract.InputName, DataType.Uint8,
            [TensorDim.Symbolic(ModelContract.BatchDimension), backbone.InputHeight, backbone.InputWidth, ModelContract.InputChannels]));
        graph.Output.Clear();
        graph.ValueInfo.Clear();
        model.ProducerName = "EdgeVision";
        return new BackboneFront(model, taken, flat);
    }

    /// <summary>Appends a node whose output is <paramref name="output"/> exactly (the caller reserved it).</summary>
    public string Append(string op, string[] inputs, string output, params AttributeProto[] attributes) =>
        GraphNames.AddNode(Graph.Node, Taken, op, inputs, output, attributes);

    /// <summary>Adds an initializer under a fresh name derived from <paramref name="name"/>; returns that name.</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        string fresh = GraphNames.Fresh(Taken, name);
        Taken.Add(fresh);
        Graph.Initializer.Add(OnnxTensor.FromFloats(fresh, values, dims));
        return fresh;
    }

    public void Output(string name, int width) =>
        Graph.Output.Add(GraphBuilder.ValueInfo(name, DataType.Float, [TensorDim.Symbolic(ModelContract.BatchDimension), width]));

    /// <summary>A node whose output gets a fresh name derived from <paramref name="output"/> (an exact name goes to GraphNames.AddNode).</summary>
    private static string Node(IList<NodeProto> nodes, ISet<string> taken, string op, string[] inputs, string output,
        params AttributeProto[] attributes) =>
        GraphNames.AddNode(nodes, taken, op, inputs, GraphNames.Fresh(taken, output), attributes);
}
