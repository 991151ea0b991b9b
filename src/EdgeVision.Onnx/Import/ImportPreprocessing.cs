using EdgeVision.Core.Model;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Proto;
using DataType = EdgeVision.Onnx.Proto.TensorProto.Types.DataType;

namespace EdgeVision.Onnx.Import;

/// <summary>
/// The contract preprocessing in front of an imported graph: Transpose to NCHW → Cast → Sub(255·mean) (the order
/// FusedPreprocessing explains), then the
/// 1/(255·std) scale and the BGR→RGB reorder. When the old input feeds exactly one ungrouped Conv with constant
/// weights, those two are folded into its weights (exact: the mean is already subtracted, so its zero padding
/// is still zero in normalized space); otherwise they stay as Mul and Gather.
/// </summary>
internal static class ImportPreprocessing
{
    public static bool Prepend(GraphProto graph, string oldInput, ImportOptions options, ISet<string> taken)
    {
        string normalized = GraphNames.Fresh(taken, "images_normalized");
        GraphNames.Rename(graph, oldInput, normalized);

        // BGR input channel b carries network (RGB) channel 2 − b.
        var offsets = new float[3];
        var scales = new double[3];
        for (int b = 0; b < 3; b++)
        {
            offsets[b] = (float)(255.0 * options.Mean[2 - b]);
            scales[b] = 1.0 / (255.0 * options.Std[2 - b]);
        }

        var nodes = new List<NodeProto>();
        string planar = Add(nodes, taken, "Transpose", [ModelContract.InputName], "images_planar", OnnxAttributes.Ints("perm", 0, 3, 1, 2));
        string asFloat = Add(nodes, taken, "Cast", [planar], "images_float", OnnxAttributes.Int("to", (long)DataType.Float));
        string mean = Constant(graph, taken, "import.pixel_mean", offsets, 1, 3, 1, 1);
        string nchw = Add(nodes, taken, "Sub", [asFloat, mean], "images_nchw");

        bool folded = TryFoldIntoConv(graph, normalized, scales, taken);
        if (folded)
        {
            GraphNames.Rename(graph, normalized, nchw);
        }
        else
        {
            string scale = Constant(graph, taken, "import.pixel_scale", Array.ConvertAll(scales, v => (float)v), 1, 3, 1, 1);
            string scaled = Add(nodes, taken, "Mul", [nchw, scale], "images_scaled");
            string order = GraphNames.Fresh(taken, "import.bgr_to_rgb");
            graph.Initializer.Add(OnnxTensor.FromLongs(order, [2L, 1L, 0L], 3));
            var gather = new NodeProto { OpType = "Gather", Name = GraphNames.Fresh(taken, "Gather_" + normalized) };
            gather.Input.Add(scaled);
            gather.Input.Add(order);
            gather.Output.Add(normalized);
            gather.Attribute.Add(OnnxAttributes.Int("axis", 1));
            nodes.Add(gather);
        }
        for (int i = 0; i < nodes.Count; i++) graph.Node.Insert(i, nodes[i]);
        return folded;
    }

    private static bool TryFoldIntoConv(GraphProto graph, string input, double[] scales, ISet<string> taken)
    {
        if (graph.Node.Any(n => n.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0))) return false;
        var consumers = graph.Node.Where(n => n.Input.Contains(input)).ToList();
        if (consumers.Count != 1) return false;
        var conv = consumers[0];
        if (conv.OpType != "Conv" || conv.Input.Count < 2 || conv.Input[0] != input || conv.Input.Skip(1).Contains(input)) return false;
        if (conv.Attribute.FirstOrDefault(a => a.Name == "group") is { } g && g.I != 1) return false;
        var weight = graph.Initializer.FirstOrDefault(t => t.Name == conv.Input[1]);
        if (weight is null || weight.DataType != (int)DataType.Float || weight.Dims.Count != 4 || weight.Dims[1] != 3) return false;

        float[] w = OnnxTensor.ToFloats(weight);
        int outChannels = checked((int)weight.Dims[0]);
        int k2 = checked((int)(weight.Dims[2] * weight.Dims[3]));
        var folded = new float[w.Length];
        for (int o = 0; o < outChannels; o++)
        {
            for (int b = 0; b < 3; b++)
            {
                int src = (o * 3 + (2 - b)) * k2;
                int dst = (o * 3 + b) * k2;
                for (int i = 0; i < k2; i++) folded[dst + i] = (float)(w[src + i] * scales[b]);
            }
        }
        string name = GraphNames.Fresh(taken, weight.Name + "_bgr_pixels");
        graph.Initializer.Add(OnnxTensor.FromFloats(name, folded, [.. weight.Dims]));
        conv.Input[1] = name;
        if (!graph.Node.Any(n => n.Input.Contains(weight.Name)))
        {
            graph.Initializer.Remove(weight);
            // Before IR 4 initializers were listed as inputs too.
            if (graph.Input.FirstOrDefault(i => i.Name == weight.Name) is { } listed) graph.Input.Remove(listed);
        }
        return true;
    }

    private static string Add(List<NodeProto> nodes, ISet<string> taken, string op, string[] inputs, string outputHint, params AttributeProto[] attributes) =>
        GraphNames.AddNode(nodes, taken, op, inputs, GraphNames.Fresh(taken, outputHint), attributes);

    private static string Constant(GraphProto graph, ISet<string> taken, string hint, float[] values, params long[] dims)
    {
        string name = GraphNames.Fresh(taken, hint);
        graph.Initializer.Add(OnnxTensor.FromFloats(name, values, dims));
        return name;
    }
}
