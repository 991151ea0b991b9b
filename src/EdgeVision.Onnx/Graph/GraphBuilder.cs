using EdgeVision.Onnx.Proto;
using DataType = EdgeVision.Onnx.Proto.TensorProto.Types.DataType;

namespace EdgeVision.Onnx.Graph;

/// <summary>
/// Builds one ONNX graph: inputs, outputs, initializers and nodes, with every value name unique.
/// Emitters describe layers; the builder keeps the bookkeeping (names, opset, IR version) in one place.
/// </summary>
public sealed class GraphBuilder
{
    /// <summary>IR version 8 is read by every ONNX Runtime from 1.10 on and by TensorRT's parser.</summary>
    public const long IrVersion = 8;

    public const long DefaultOpset = 17;

    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _opsets = new(StringComparer.Ordinal);

    public GraphBuilder(string graphName, long opset = DefaultOpset)
    {
        if (string.IsNullOrWhiteSpace(graphName)) throw new ArgumentException("a graph needs a name", nameof(graphName));
        if (opset < 13) throw new ArgumentOutOfRangeException(nameof(opset), opset, "opset 13 or newer is required (Slice/Pad/Squeeze take inputs, not attributes)");
        _graph = new GraphProto { Name = graphName };
        _opsets[""] = opset;
    }

    public long Opset => _opsets[""];

    /// <summary>A name not used yet in this graph: <paramref name="hint"/> itself, or hint_1, hint_2, …</summary>
    public string UniqueName(string hint)
    {
        if (string.IsNullOrWhiteSpace(hint)) hint = "value";
        if (_names.Add(hint)) return hint;
        for (int i = 1; ; i++)
        {
            string candidate = $"{hint}_{i}";
            if (_names.Add(candidate)) return candidate;
        }
    }

    public string AddInput(string name, DataType type, params TensorDim[] shape)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, type, shape));
        return name;
    }

    /// <summary>Declares an existing value (a node output) as a graph output.</summary>
    public void AddOutput(string name, DataType type, params TensorDim[] shape) => _graph.Output.Add(ValueInfo(name, type, shape));

    public string AddInitializer(string hint, ReadOnlySpan<float> values, params long[] dims)
    {
        string name = UniqueName(hint);
        _graph.Initializer.Add(OnnxTensor.FromFloats(name, values, dims));
        return name;
    }

    public string AddInitializer(string hint, ReadOnlySpan<long> values, params long[] dims)
    {
        string name = UniqueName(hint);
        _graph.Initializer.Add(OnnxTensor.FromLongs(name, values, dims));
        return name;
    }

    /// <summary>Adds a node with one output named from <paramref name="outputHint"/>; returns that output's name.</summary>
    public string AddNode(string opType, IReadOnlyList<string> inputs, string outputHint, params AttributeProto[] attributes)
    {
        string output = UniqueName(outputHint);
        AddNodeWithOutputs(opType, inputs, [output], attributes);
        return output;
    }

    /// <summary>Adds a node whose output names are given exactly (graph outputs such as "logits").</summary>
    public NodeProto AddNodeWithOutputs(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params AttributeProto[] attributes)
    {
        foreach (string o in outputs) _names.Add(o);
        var node = new NodeProto { OpType = opType, Name = UniqueName(opType + "_" + outputs[0]) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return node;
    }

    /// <summary>The finished model; <paramref name="metadata"/> becomes <c>metadata_props</c> in key order.</summary>
    public ModelProto ToModel(IReadOnlyDictionary<string, string>? metadata = null, string producer = "EdgeVision", string docString = "")
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = producer,
            ProducerVersion = typeof(GraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            DocString = docString,
            Graph = _graph.Clone(),
        };
        foreach (var (domain, version) in _opsets) model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        return model;
    }

    public static ValueInfoProto ValueInfo(string name, DataType type, IEnumerable<TensorDim> shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var d in shape)
        {
            tensorShape.Dim.Add(d.Symbol is { } symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = d.Value!.Value });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }

    private void Claim(string name)
    {
        if (!_names.Add(name)) throw new ArgumentException($"value name '{name}' is already used in graph '{_graph.Name}'", nameof(name));
    }
}
