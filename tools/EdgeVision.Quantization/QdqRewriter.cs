using EdgeVision.Onnx.Proto;

namespace EdgeVision.Quantization;

/// <summary>
/// Writes the QDQ form of a float model following ONNX Runtime's conventions: activations
/// x → QuantizeLinear(uint8, per tensor) → DequantizeLinear → consumers; weights stored as int8 with
/// per-channel scales behind a DequantizeLinear (axis 0 for Conv, the output axis for Gemm/MatMul);
/// Conv/Gemm biases stored as int32 with scale x_scale·w_scale[c] when the input is quantized. ORT's
/// graph optimizer then fuses the groups into QLinearConv / QGemm / QLinearAdd; TensorRT reads the same
/// file as an explicitly quantized network.
/// </summary>
public static class QdqRewriter
{
    /// <summary>Per-axis DequantizeLinear needs opset 13.</summary>
    public const long MinimumOpset = 13;

    public static ModelProto Apply(ModelProto model, QdqPlan plan, IReadOnlyDictionary<string, QuantizationParameters> activations)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(activations);
        long opset = OnnxTensors.DefaultOpset(model);
        if (opset < MinimumOpset)
            throw new InvalidDataException($"the model imports opset {opset}; per-channel QDQ needs opset {MinimumOpset} or newer (re-export or import it with a newer opset)");
        foreach (string t in plan.Activations)
            if (!activations.ContainsKey(t)) throw new ArgumentException($"no quantization parameters for activation '{t}'");

        var result = model.Clone();
        var graph = result.Graph;
        var index = new GraphIndex(graph);
        var newInitializers = new List<TensorProto>();
        var weightNodes = new List<NodeProto>();
        var rewired = new Dictionary<string, string>(StringComparer.Ordinal);

        // Weights (and biases) first: they only depend on initializers, so their DQ nodes lead the node list.
        var weightedOutputs = plan.WeightedNodes.Select(n => n.Output[0]).ToHashSet(StringComparer.Ordinal);
        var doneWeights = new Dictionary<string, PerChannelWeights>(StringComparer.Ordinal);
        foreach (var node in graph.Node.Where(n => n.Output.Count > 0 && weightedOutputs.Contains(n.Output[0])))
        {
            string weightName = node.Input[1];
            var weight = index.Initializers[weightName];
            int[] shape = OnnxTensors.Shape(weight);
            int axis = node.OpType switch
            {
                "Conv" => 0,
                "Gemm" => OnnxTensors.Attribute(node, "transB", 0) != 0 ? 0 : 1,
                _ => shape.Length - 1, // MatMul: [K, N], N is the output axis
            };
            if (shape.Length < 2) continue;
            if (!doneWeights.TryGetValue(weightName, out var q))
            {
                q = PerChannelWeights.Quantize(OnnxTensors.ReadFloats(weight), shape, axis);
                doneWeights[weightName] = q;
                string qName = weightName + "_quantized", sName = weightName + "_scale", zName = weightName + "_zero_point";
                newInitializers.Add(OnnxTensors.Int8(qName, q.Values, weight.Dims.ToArray()));
                newInitializers.Add(OnnxTensors.Float(sName, q.Scales, q.Scales.Length));
                newInitializers.Add(OnnxTensors.Int8(zName, new sbyte[q.Scales.Length], q.Scales.Length));
                weightNodes.Add(OnnxTensors.Node("DequantizeLinear", weightName + "_DequantizeLinear", [qName, sName, zName],
                    [weightName + "_dequantized"], OnnxTensors.IntAttribute("axis", axis)));
            }
            node.Input[1] = weightName + "_dequantized";

            if (node.Input.Count >= 3 && node.Input[2].Length > 0 && activations.TryGetValue(node.Input[0], out var xq)
                && BiasQuantizable(node, index, node.Input[2], q.Scales.Length))
            {
                string biasName = node.Input[2];
                float[] bias = OnnxTensors.ReadFloats(index.Initializers[biasName]);
                var scales = q.Scales.Select(s => xq.Scale * s).ToArray();
                var values = new int[bias.Length];
                for (int c = 0; c < bias.Length; c++)
                    values[c] = (int)Math.Clamp(Math.Round(bias[c] / (double)scales[c], MidpointRounding.ToEven), int.MinValue + 1, int.MaxValue);
                string prefix = node.Output[0] + "_bias";
                newInitializers.Add(OnnxTensors.Int32(prefix + "_quantized", values, bias.Length));
                newInitializers.Add(OnnxTensors.Float(prefix + "_scale", scales, scales.Length));
                newInitializers.Add(OnnxTensors.Int32(prefix + "_zero_point", new int[scales.Length], scales.Length));
                weightNodes.Add(OnnxTensors.Node("DequantizeLinear", prefix + "_DequantizeLinear",
                    [prefix + "_quantized", prefix + "_scale", prefix + "_zero_point"], [prefix + "_dequantized"], OnnxTensors.IntAttribute("axis", 0)));
                node.Input[2] = prefix + "_dequantized";
            }
        }

        // Activations: one Q/DQ pair right after the producer, every consumer reads the dequantized copy.
        var quantized = plan.Activations.ToHashSet(StringComparer.Ordinal);
        foreach (string t in plan.Activations)
        {
            var p = activations[t];
            newInitializers.Add(OnnxTensors.Float(t + "_scale", [p.Scale]));
            newInitializers.Add(OnnxTensors.Uint8(t + "_zero_point", [(byte)p.ZeroPoint]));
            rewired[t] = t + "_dequantized";
        }
        var nodes = new List<NodeProto>(weightNodes);
        var direct = plan.DirectImage;
        foreach (var node in graph.Node)
        {
            if (direct is not null && node.Output.Count == 1 && (node.Output[0] == direct.CastOutput || node.Output[0] == plan.ImageTensor))
            {
                // The pixels are the quantized image (QdqPlan.DirectImage): one DequantizeLinear replaces Cast and Sub.
                string image = plan.ImageTensor;
                if (node.Output[0] == image)
                    nodes.Add(OnnxTensors.Node("DequantizeLinear", image + "_DequantizeLinear", [direct.Pixels, image + "_scale", image + "_zero_point"], [image + "_dequantized"]));
                continue;
            }
            for (int i = 0; i < node.Input.Count; i++)
                if (rewired.TryGetValue(node.Input[i], out var dq)) node.Input[i] = dq;
            nodes.Add(node);
            foreach (string o in node.Output)
            {
                if (!quantized.Contains(o)) continue;
                nodes.Add(OnnxTensors.Node("QuantizeLinear", o + "_QuantizeLinear", [o, o + "_scale", o + "_zero_point"], [o + "_quantized"]));
                nodes.Add(OnnxTensors.Node("DequantizeLinear", o + "_DequantizeLinear", [o + "_quantized", o + "_scale", o + "_zero_point"], [o + "_dequantized"]));
            }
        }

        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        var usedWeights = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var kept = graph.Initializer.Where(t => usedWeights.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(kept);
        graph.Initializer.AddRange(newInitializers);
        // Float weights that were replaced must not linger as graph inputs either (IR < 4 style models).
        var inputs = graph.Input.Where(i => !index.IsInitializer(i.Name) || usedWeights.Contains(i.Name)).ToList();
        graph.Input.Clear();
        graph.Input.AddRange(inputs);
        return result;
    }

    private static bool BiasQuantizable(NodeProto node, GraphIndex index, string bias, int channels)
    {
        if (!index.Initializers.TryGetValue(bias, out var b) || b.DataType != (int)TensorProto.Types.DataType.Float) return false;
        if (index.ConsumersOf(bias).Count != 1) return false;
        if (b.Dims.Aggregate(1L, (a, d) => a * d) != channels || b.Dims.Count(d => d != 1) > 1) return false;
        // Gemm computes alpha·A·B + beta·C: an int32 C shares A·B's scale only when both factors are 1.
        return node.OpType != "Gemm" || (OnnxTensors.FloatAttribute(node, "alpha", 1f) == 1f && OnnxTensors.FloatAttribute(node, "beta", 1f) == 1f);
    }
}
