using EdgeVision.Onnx.Proto;

namespace EdgeVision.Quantization;

/// <summary>Who produces and who consumes each tensor of a graph, for the rewrites to walk.</summary>
internal sealed class GraphIndex
{
    public GraphIndex(GraphProto graph)
    {
        Graph = graph;
        Initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (string o in node.Output)
                if (o.Length > 0) Producers[o] = node;
            foreach (string i in node.Input)
            {
                if (i.Length == 0) continue;
                if (!Consumers.TryGetValue(i, out var list)) Consumers[i] = list = [];
                list.Add(node);
            }
        }
        GraphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
    }

    public GraphProto Graph { get; }
    public Dictionary<string, TensorProto> Initializers { get; }
    public Dictionary<string, NodeProto> Producers { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<NodeProto>> Consumers { get; } = new(StringComparer.Ordinal);
    public HashSet<string> GraphOutputs { get; }

    public IReadOnlyList<NodeProto> ConsumersOf(string tensor) =>
        Consumers.TryGetValue(tensor, out var list) ? list : [];

    public bool IsInitializer(string tensor) => Initializers.ContainsKey(tensor);

    /// <summary>The first convolution fed by a computed tensor: where the network proper starts and preprocessing ends.</summary>
    public NodeProto FirstConvolution() =>
        Graph.Node.FirstOrDefault(n => n.OpType == "Conv" && n.Input.Count >= 2 && !IsInitializer(n.Input[0]) && IsInitializer(n.Input[1]))
        ?? throw new InvalidDataException("the graph has no convolution with constant weights; nothing to quantize or convert");

    /// <summary>Nodes that (transitively) consume the output of <paramref name="start"/>, <paramref name="start"/> included.</summary>
    public HashSet<NodeProto> Downstream(NodeProto start)
    {
        var seen = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<NodeProto>();
        stack.Push(start);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n)) continue;
            foreach (string o in n.Output)
                foreach (var c in ConsumersOf(o)) stack.Push(c);
        }
        return seen;
    }
}
