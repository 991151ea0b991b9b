using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Proto;
using EdgeVision.Onnx.ResNet;
using EdgeVision.Onnx.Zoo;
using DataType = EdgeVision.Onnx.Proto.TensorProto.Types.DataType;

namespace EdgeVision.Onnx;

/// <summary>What an unfused reference graph ends in.</summary>
public enum ReferenceHead
{
    /// <summary>Softmax output "probabilities", with "logits" as a second output.</summary>
    Probabilities,

    /// <summary>Only the classifier's raw output "logits" (a torchvision-style export, e.g. to feed <c>edgevision import</c>).</summary>
    Logits,
}

/// <summary>Zoo graphs (any family): the deployable contract model, and the unfused reference it is tested against.</summary>
public static class ContractModelFactory
{
    /// <summary>
    /// The contract model: uint8 [N, H, W, 3] BGR "images" in, "probabilities" and "logits" float [N, C] out,
    /// preprocessing fused into the stem, every BN that follows a convolution folded into it.
    /// </summary>
    public static ModelProto CreateResNet(ResNetSpec spec, IWeightSource weights, ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Create(ResNetPlan.Build(spec), weights, metadata);
    }

    /// <summary>As <see cref="CreateResNet"/>, for a plan of any family (ResNet, DenseNet, RegNet).</summary>
    public static ModelProto Create(INetworkPlan plan, IWeightSource weights, ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(metadata);
        metadata.Validate();
        if (plan.InputChannels != metadata.NetworkChannels)
            throw new ArgumentException($"{plan.Name} takes {plan.InputChannels} input channel(s) but the metadata colour mode {metadata.Color} feeds {metadata.NetworkChannels}");
        if (metadata.Labels.Count != plan.NumClasses)
            throw new ArgumentException($"{plan.Name} has {plan.NumClasses} classes but the metadata lists {metadata.Labels.Count} labels");

        var graph = new GraphBuilder(plan.Name);
        TensorDim batch = TensorDim.Symbolic(ModelContract.BatchDimension);
        string images = graph.AddInput(ModelContract.InputName, DataType.Uint8,
            batch, metadata.InputHeight, metadata.InputWidth, ModelContract.InputChannels);
        var preprocessing = new FusedPreprocessing(metadata);
        string normalized = preprocessing.Emit(graph, images);
        var layers = new LayerEmitter(graph, weights, foldNorms: true, preprocessing);
        string logits = NetworkGraphEmitter.EmitLogits(layers, plan, normalized, ModelContract.LogitsName);
        graph.AddNodeWithOutputs("Softmax", [logits], [ModelContract.ProbabilitiesName], OnnxAttributes.Int("axis", 1));
        graph.AddOutput(ModelContract.ProbabilitiesName, DataType.Float, batch, plan.NumClasses);
        graph.AddOutput(ModelContract.LogitsName, DataType.Float, batch, plan.NumClasses);
        return graph.ToModel(metadata.ToProperties(), docString: $"{plan.Name}: EdgeVision contract model (uint8 BGR NHWC in, softmax out)");
    }

    /// <summary>
    /// The unfused reference: float "input" [N, InputChannels, H, W] already normalized (torchvision style),
    /// BatchNormalization ops as trained, nothing folded; "probabilities" (and "logits") out.
    /// </summary>
    public static ModelProto CreateResNetReference(ResNetSpec spec, IWeightSource weights, int height, int width) =>
        CreateResNetReference(spec, weights, height, width, ReferenceHead.Probabilities);

    /// <summary>As <see cref="CreateResNetReference(ResNetSpec, IWeightSource, int, int)"/>, ending in <paramref name="head"/>.</summary>
    public static ModelProto CreateResNetReference(ResNetSpec spec, IWeightSource weights, int height, int width, ReferenceHead head)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return CreateReference(ResNetPlan.Build(spec), weights, height, width, head);
    }

    /// <summary>The unfused reference of a plan of any family.</summary>
    public static ModelProto CreateReference(INetworkPlan plan, IWeightSource weights, int height, int width, ReferenceHead head = ReferenceHead.Probabilities)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(weights);
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"input size {width}×{height} must be positive");
        var graph = new GraphBuilder(plan.Name + "_reference");
        TensorDim batch = TensorDim.Symbolic(ModelContract.BatchDimension);
        string input = graph.AddInput("input", DataType.Float, batch, plan.InputChannels, height, width);
        var layers = new LayerEmitter(graph, weights, foldNorms: false, preprocessing: null);
        string logits = NetworkGraphEmitter.EmitLogits(layers, plan, input, ModelContract.LogitsName);
        if (head == ReferenceHead.Probabilities)
        {
            graph.AddNodeWithOutputs("Softmax", [logits], [ModelContract.ProbabilitiesName], OnnxAttributes.Int("axis", 1));
            graph.AddOutput(ModelContract.ProbabilitiesName, DataType.Float, batch, plan.NumClasses);
        }
        graph.AddOutput(ModelContract.LogitsName, DataType.Float, batch, plan.NumClasses);
        return graph.ToModel(docString: $"{plan.Name}: unfused reference (normalized float NCHW in)");
    }
}
