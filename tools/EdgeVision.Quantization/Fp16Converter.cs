using EdgeVision.Onnx.Proto;

namespace EdgeVision.Quantization;

/// <summary>
/// The float16 form of a contract model for GPU providers: the uint8 input and its preprocessing stay as
/// they are (float32), the first convolution's input is cast to float16, every float initializer of the
/// network is stored as float16, and each float output is cast back to float32 so the contract's outputs
/// keep their type. ONNX Runtime's CPU provider lacks float16 kernels for most ops; its
/// InsertCastTransformer wraps those nodes in casts, so the model still loads and runs there (slowly).
/// </summary>
public static class Fp16Converter
{
    private const int FloatType = (int)TensorProto.Types.DataType.Float;
    private const int HalfType = (int)TensorProto.Types.DataType.Float16;

    public static ModelProto Convert(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = model.Clone();
        var graph = result.Graph ?? throw new InvalidDataException("the model holds no graph");
        var index = new GraphIndex(graph);
        var first = index.FirstConvolution();
        var network = index.Downstream(first);

        // The network's entry: everything upstream of it is preprocessing and keeps float32.
        string entry = first.Input[0];
        string entryHalf = entry + "_fp16";
        foreach (var node in network)
            for (int i = 0; i < node.Input.Count; i++)
                if (node.Input[i] == entry) node.Input[i] = entryHalf;

        // Initializers of the network become float16; one also read by preprocessing gets a float16 copy.
        var preprocessingInputs = graph.Node.Where(n => !network.Contains(n)).SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var converted = new Dictionary<string, string>(StringComparer.Ordinal);
        var newInitializers = new List<TensorProto>();
        foreach (var node in network)
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                string name = node.Input[i];
                if (!index.Initializers.TryGetValue(name, out var t) || t.DataType != FloatType) continue;
                if (!converted.TryGetValue(name, out var halfName))
                {
                    halfName = preprocessingInputs.Contains(name) ? name + "_fp16" : name;
                    var half = OnnxTensors.Float16(halfName, OnnxTensors.ReadFloats(t), t.Dims);
                    if (halfName == name) graph.Initializer.Remove(t);
                    newInitializers.Add(half);
                    converted[name] = halfName;
                }
                node.Input[i] = halfName;
            }
            foreach (var a in node.Attribute)
            {
                if (node.OpType == "Cast" && a.Name == "to" && a.I == FloatType) a.I = HalfType;
                if (node.OpType == "Constant" && a.Name == "value" && a.T is { DataType: FloatType } ct)
                    a.T = OnnxTensors.Float16(ct.Name, OnnxTensors.ReadFloats(ct), ct.Dims);
            }
        }
        graph.Initializer.AddRange(newInitializers);

        // Float outputs produced by the network: the network writes name_fp16, a Cast restores the name.
        var outputCasts = new List<NodeProto>();
        foreach (var output in graph.Output)
        {
            if (output.Type?.TensorType?.ElemType != FloatType) continue;
            string name = output.Name;
            if (!index.Producers.TryGetValue(name, out var producer) || !network.Contains(producer)) continue;
            string half = name + "_fp16";
            foreach (var node in network)
            {
                for (int i = 0; i < node.Output.Count; i++) if (node.Output[i] == name) node.Output[i] = half;
                for (int i = 0; i < node.Input.Count; i++) if (node.Input[i] == name) node.Input[i] = half;
            }
            outputCasts.Add(OnnxTensors.Node("Cast", name + "_to_float32", [half], [name], OnnxTensors.IntAttribute("to", FloatType)));
        }

        var nodes = new List<NodeProto>();
        foreach (var node in graph.Node)
        {
            if (node == first)
                nodes.Add(OnnxTensors.Node("Cast", entry + "_to_float16", [entry], [entryHalf], OnnxTensors.IntAttribute("to", HalfType)));
            nodes.Add(node);
        }
        nodes.AddRange(outputCasts);
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        // Intermediate type annotations would now be wrong; ORT infers them again.
        graph.ValueInfo.Clear();
        return result;
    }
}
