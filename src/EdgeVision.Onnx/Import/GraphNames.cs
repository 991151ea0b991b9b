using EdgeVision.Onnx.Proto;

namespace EdgeVision.Onnx.Import;

/// <summary>Value names of an existing graph: what is taken, and renaming a value everywhere it is produced or read.</summary>
internal static class GraphNames
{
    public static HashSet<string> All(GraphProto graph)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in graph.Input) names.Add(v.Name);
        foreach (var v in graph.Output) names.Add(v.Name);
        foreach (var t in graph.Initializer) names.Add(t.Name);
        foreach (var n in graph.Node)
        {
            names.UnionWith(n.Input);
            names.UnionWith(n.Output);
        }
        return names;
    }

    /// <summary>Renames a value in node inputs/outputs (subgraphs included, they may read outer values), graph outputs and initializers.</summary>
    public static void Rename(GraphProto graph, string from, string to)
    {
        foreach (var node in graph.Node)
        {
            Replace(node.Input, from, to);
            Replace(node.Output, from, to);
            foreach (var attribute in node.Attribute)
            {
                if (attribute.G is { } g) Rename(g, from, to);
                foreach (var sub in attribute.Graphs) Rename(sub, from, to);
            }
        }
        foreach (var v in graph.Output) if (v.Name == from) v.Name = to;
        foreach (var v in graph.ValueInfo) if (v.Name == from) v.Name = to;
        foreach (var t in graph.Initializer) if (t.Name == from) t.Name = to;
    }

    /// <summary>Frees <paramref name="name"/> for our own use by renaming whatever value already carries it.</summary>
    public static void Evict(GraphProto graph, string name, ISet<string> taken)
    {
        if (!taken.Contains(name)) return;
        string replacement = Fresh(taken, name + "_original");
        Rename(graph, name, replacement);
    }

    public static string Fresh(ISet<string> taken, string hint)
    {
        string candidate = hint;
        for (int i = 1; !taken.Add(candidate); i++) candidate = $"{hint}_{i}";
        return candidate;
    }

    /// <summary>
    /// Appends a node writing <paramref name="output"/> exactly (the caller made it unique, or it is a contract
    /// name) under a fresh node name; returns the output.
    /// </summary>
    public static string AddNode(IList<NodeProto> nodes, ISet<string> taken, string op, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        taken.Add(output);
        var node = new NodeProto { OpType = op, Name = Fresh(taken, op + "_" + output) };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        nodes.Add(node);
        return output;
    }

    private static void Replace(Google.Protobuf.Collections.RepeatedField<string> names, string from, string to)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == from) names[i] = to;
        }
    }
}
