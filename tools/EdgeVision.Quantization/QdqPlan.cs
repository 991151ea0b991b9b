using EdgeVision.Onnx.Proto;

namespace EdgeVision.Quantization;

/// <summary>
/// Which activation tensors get a QuantizeLinear/DequantizeLinear pair, chosen so ONNX Runtime's QDQ
/// fusions apply: the data input of every Conv/Gemm/MatMul, both inputs and the output of residual Adds
/// (QLinearAdd), the input and output of pooling (uint8 MaxPool, QLinearGlobalAveragePool). A ReLU right
/// after a Conv/Add/Gemm moves the pair from its input to its output: DQ→Conv→Relu→Q with zero point 0
/// is what ORT's ReluQuantFusion folds into one QLinearConv. The preprocessing before the first
/// convolution stays in float; its result, the first convolution's input (<see cref="ImageTensor"/>), is
/// quantized.
/// </summary>
public sealed class QdqPlan
{
    private static readonly HashSet<string> Weighted = ["Conv", "Gemm", "MatMul"];
    private static readonly HashSet<string> Pooling = ["MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool"];
    private static readonly HashSet<string> Unary = ["Sigmoid"];
    private static readonly HashSet<string> Binary = ["Add", "Mul"];
    private static readonly HashSet<string> ReluFusible = ["Conv", "Add", "Gemm", "MatMul"];

    // Ops that only select or move values: ORT runs them on uint8 (dropping their DQ/Q) only when the
    // output has exactly the input's scale and zero point; otherwise it falls back to float and, for
    // MaxPool, pays for NCHW↔NHWC transposes around it.
    private static readonly HashSet<string> ValuePreserving = ["MaxPool", "GlobalMaxPool", "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze"];

    private QdqPlan(IReadOnlyList<string> activations, IReadOnlyList<NodeProto> weightedNodes, IReadOnlyDictionary<string, string> shared,
        string imageTensor, DirectImageInput? directImage)
    {
        Activations = activations;
        WeightedNodes = weightedNodes;
        SharedParameters = shared;
        ImageTensor = imageTensor;
        DirectImage = directImage;
    }

    /// <summary>
    /// Set when the image tensor is Cast(uint8 pixels) − one mean for every channel (grey models, or RGB models
    /// with equal means): the pixels are then already the quantized image — scale 1, zero point the mean rounded
    /// to an integer — and the convolution reads them through one DequantizeLinear, so ONNX Runtime's QLinearConv
    /// consumes the uint8 input directly (its zero-point padding is the contract's zero padding of x − mean).
    /// The float Cast and Sub, slow per-pixel work in front of every integer kernel, disappear. The one
    /// approximation is the mean's rounding (at most half a pixel level, below the image's quantization step).
    /// </summary>
    public DirectImageInput? DirectImage { get; }

    /// <summary>
    /// The first convolution's input: the preprocessed image, an affine map of uint8 pixels. Its range is known
    /// and small (256 values), so it is quantized over everything calibration saw whatever the method: clipping
    /// it saturates the bright (or dark) pixels of every image, and a histogram of |x| dominated by the
    /// background's spike is exactly where entropy calibration clips hardest.
    /// </summary>
    public string ImageTensor { get; }

    /// <summary>Output → input of value-preserving ops: the output reuses the input's quantization parameters.</summary>
    public IReadOnlyDictionary<string, string> SharedParameters { get; }

    /// <summary>Activation tensors to calibrate and quantize, in graph order.</summary>
    public IReadOnlyList<string> Activations { get; }

    /// <summary>Conv/Gemm/MatMul nodes whose constant weight is quantized per channel.</summary>
    public IReadOnlyList<NodeProto> WeightedNodes { get; }

    public static QdqPlan Create(ModelProto model)
    {
        var graph = model.Graph ?? throw new InvalidDataException("the model holds no graph");
        var index = new GraphIndex(graph);
        var first = index.FirstConvolution();
        var region = index.Downstream(first);

        var selected = new HashSet<string>(StringComparer.Ordinal);
        var weighted = new List<NodeProto>();
        foreach (var node in graph.Node)
        {
            if (!region.Contains(node)) continue;
            if (Weighted.Contains(node.OpType) && node.Input.Count >= 2 && index.IsInitializer(node.Input[1]) && !index.IsInitializer(node.Input[0])
                && (node.OpType != "Gemm" || OnnxTensors.Attribute(node, "transA", 0) == 0))
            {
                weighted.Add(node);
                selected.Add(node.Input[0]);
            }
            else if ((Binary.Contains(node.OpType) && node.Input.Count == 2 && node.Input.All(i => !index.IsInitializer(i)))
                     || (node.OpType == "Concat" && node.Input.All(i => !index.IsInitializer(i))))
            {
                foreach (string input in node.Input) selected.Add(input);
                selected.Add(node.Output[0]);
            }
            else if (Pooling.Contains(node.OpType) || Unary.Contains(node.OpType))
            {
                selected.Add(node.Input[0]);
                selected.Add(node.Output[0]);
            }
        }

        foreach (var relu in graph.Node.Where(n => n.OpType == "Relu" && region.Contains(n)))
        {
            string input = relu.Input[0];
            if (index.Producers.TryGetValue(input, out var producer) && ReluFusible.Contains(producer.OpType)
                && index.ConsumersOf(input).Count == 1 && !index.GraphOutputs.Contains(input))
            {
                selected.Remove(input);
                selected.Add(relu.Output[0]);
            }
        }

        selected.RemoveWhere(t => index.IsInitializer(t) || graph.Input.Any(i => i.Name == t));
        // Graph order keeps calibration output lists and the written model stable from run to run.
        var ordered = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
            foreach (string t in node.Input.Concat(node.Output))
                if (selected.Contains(t) && seen.Add(t)) ordered.Add(t);
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            if (ValuePreserving.Contains(node.OpType) && node.Output.Count == 1 && selected.Contains(node.Output[0]) && selected.Contains(node.Input[0]))
                shared[node.Output[0]] = node.Input[0];
        }
        return new QdqPlan(ordered, weighted, shared, first.Input[0], FindDirectImage(index, first.Input[0]));
    }

    private static DirectImageInput? FindDirectImage(GraphIndex index, string image)
    {
        if (!index.Producers.TryGetValue(image, out var sub) || sub.OpType != "Sub" || sub.Input.Count != 2) return null;
        if (!index.Initializers.TryGetValue(sub.Input[1], out var meanTensor)) return null;
        if (!index.Producers.TryGetValue(sub.Input[0], out var cast) || cast.OpType != "Cast") return null;
        if (index.ConsumersOf(cast.Output[0]).Count != 1 || index.GraphOutputs.Contains(cast.Output[0])) return null;
        if (!IsUint8(index, cast.Input[0])) return null;
        float[] mean = OnnxTensors.ReadFloats(meanTensor);
        if (mean.Length is not (1 or 3) || mean.Any(m => m != mean[0]) || mean[0] is < 0 or > 255) return null;
        return new DirectImageInput(cast.Input[0], cast.Output[0], (int)MathF.Round(mean[0], MidpointRounding.ToEven));
    }

    /// <summary>A uint8 graph input, or one seen through value-moving ops (the contract's NHWC→NCHW Transpose).</summary>
    private static bool IsUint8(GraphIndex index, string tensor)
    {
        while (index.Producers.TryGetValue(tensor, out var producer))
        {
            if (producer.OpType is not ("Transpose" or "Reshape" or "Identity")) return false;
            tensor = producer.Input[0];
        }
        var input = index.Graph.Input.FirstOrDefault(i => i.Name == tensor);
        return input?.Type?.TensorType?.ElemType == (int)TensorProto.Types.DataType.Uint8;
    }
}

/// <summary>The uint8 pixels that stand for the image tensor, and the float Cast (by its output) that goes with the Sub.</summary>
public sealed record DirectImageInput(string Pixels, string CastOutput, int ZeroPoint)
{
    public QuantizationParameters Parameters => new(1f, ZeroPoint, 0, 255);
}
