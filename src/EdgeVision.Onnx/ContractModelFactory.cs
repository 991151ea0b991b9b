using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Proto;
using EdgeVision.Onnx.ResNet;
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

/// <summary>ResNet graphs: the deployable contract model, and the unfused reference it is tested against.</summary>
public static class ContractModelFactory
{
    /// <summary>
    /// The contract model: uint8 [N, H, W, 3] BGR "images" in, "probabilities" and "logits" float [N, C] out,
    /// preprocessing fused into the stem, every BN that follows a convolution folded into it.
    /// </summary>
    public static ModelProto CreateResNet(ResNetSpec spec, IWeightSource weights, ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(metadata);
        metadata.Validate();
        var plan = ResNetPlan.Build(spec);
        if (spec.InputChannels != metadata.NetworkChannels)
            throw new ArgumentException($"{spec.Name} takes {spec.InputChannels} input channel(s) but the metadata colour mode {metadata.Color} feeds {metadata.NetworkChannels}");
        if (metadata.Labels.Count != spec.NumClasses)
            throw new ArgumentException($"{spec.Name} has {spec.NumClasses} classes but the metadata lists {metadata.Labels.Count} labels");

        var graph = new GraphBuilder(spec.Name);
        TensorDim batch = TensorDim.Symbolic(ModelContract.BatchDimension);
        string images = graph.AddInput(ModelContract.InputName, DataType.Uint8,
            batch, metadata.InputHeight, metadata.InputWidth, ModelContract.InputChannels);
        var preprocessing = new FusedPreprocessing(metadata);
        string normalized = preprocessing.Emit(graph, images);
        var emitter = new ResNetGraphEmitter(graph, plan, weights, foldNorms: true, preprocessing);
        string logits = emitter.EmitLogits(normalized, ModelContract.LogitsName);
        graph.AddNodeWithOutputs("Softmax", [logits], [ModelContract.ProbabilitiesName], OnnxAttributes.Int("axis", 1));
        graph.AddOutput(ModelContract.ProbabilitiesName, DataType.Float, batch, spec.NumClasses);
        graph.AddOutput(ModelContract.LogitsName, DataType.Float, batch, spec.NumClasses);
        return graph.ToModel(metadata.ToProperties(), docString: $"{spec.Name}: EdgeVision contract model (uint8 BGR NHWC in, softmax out)");
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
        ArgumentNullException.ThrowIfNull(weights);
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"input size {width}×{height} must be positive");
        var plan = ResNetPlan.Build(spec);
        var graph = new GraphBuilder(spec.Name + "_reference");
        TensorDim batch = TensorDim.Symbolic(ModelContract.BatchDimension);
        string input = graph.AddInput("input", DataType.Float, batch, spec.InputChannels, height, width);
        var emitter = new ResNetGraphEmitter(graph, plan, weights, foldNorms: false, preprocessing: null);
        string logits = emitter.EmitLogits(input, ModelContract.LogitsName);
        if (head == ReferenceHead.Probabilities)
        {
            graph.AddNodeWithOutputs("Softmax", [logits], [ModelContract.ProbabilitiesName], OnnxAttributes.Int("axis", 1));
            graph.AddOutput(ModelContract.ProbabilitiesName, DataType.Float, batch, spec.NumClasses);
        }
        graph.AddOutput(ModelContract.LogitsName, DataType.Float, batch, spec.NumClasses);
        return graph.ToModel(docString: $"{spec.Name}: unfused reference (normalized float NCHW in)");
    }
}
