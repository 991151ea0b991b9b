using EdgeVision.Onnx.Proto;

namespace EdgeVision.Onnx.Graph;

/// <summary>Drops what a graph's outputs no longer read after surgery (a cut head, a removed branch).</summary>
public static class GraphPruning
{
    /// <summary>Removes nodes, initializers and graph inputs that no graph output depends on.</summary>
    public static void RemoveUnused(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var needed = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        var kept = new List<NodeProto>();
        for (int i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(needed.Contains)) continue;
            kept.Add(node);
            foreach (string input in node.Input) needed.Add(input);
        }
        kept.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        foreach (var t in graph.Initializer.Where(t => !needed.Contains(t.Name)).ToList()) graph.Initializer.Remove(t);
        foreach (var i in graph.Input.Where(i => !needed.Contains(i.Name)).ToList()) graph.Input.Remove(i);
    }
}
