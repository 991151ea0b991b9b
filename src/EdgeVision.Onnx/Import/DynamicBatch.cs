using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Proto;

namespace EdgeVision.Onnx.Import;

/// <summary>
/// Exporters trace with batch 1 and bake it in: Reshape targets such as [1, -1] and stale value_info shapes.
/// Reshape's 0 means "keep this dimension of the input", so [1, …] becomes [0, …] and follows the batch.
/// </summary>
internal static class DynamicBatch
{
    public static int RewriteReshapeTargets(GraphProto graph, ISet<string> taken)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var constants = graph.Node
            .Where(n => n.OpType == "Constant" && n.Output.Count == 1)
            .ToDictionary(n => n.Output[0], n => n, StringComparer.Ordinal);
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reshape in graph.Node.Where(n => n.OpType == "Reshape" && n.Input.Count == 2).ToList())
        {
            if (reshape.Attribute.Any(a => a.Name == "allowzero" && a.I == 1)) continue;
            string shapeName = reshape.Input[1];
            TensorProto? shape = initializers.TryGetValue(shapeName, out var init)
                ? init
                : constants.TryGetValue(shapeName, out var constant) ? constant.Attribute.FirstOrDefault(a => a.Name == "value")?.T : null;
            if (shape is null || shape.Dims.Count != 1) continue;
            long[] values = OnnxTensor.ToLongs(shape);
            if (values.Length < 2 || values[0] != 1) continue;
            values[0] = 0;
            // A fresh initializer per Reshape, so a target shared with an unrelated node is never changed under it.
            string name = GraphNames.Fresh(taken, shapeName + "_dynamic_batch");
            graph.Initializer.Add(OnnxTensor.FromLongs(name, values, values.Length));
            reshape.Input[1] = name;
            replaced.Add(shapeName);
        }
        RemoveUnused(graph, replaced);
        return replaced.Count;
    }

    /// <summary>Sets dimension 0 of a value's declared shape to the symbolic batch.</summary>
    public static void MakeBatchSymbolic(ValueInfoProto value, string symbol)
    {
        var shape = value.Type?.TensorType?.Shape;
        if (shape is null || shape.Dim.Count == 0) return;
        shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = symbol };
    }

    // Only the targets this rewrite replaced, and only at the top level: a subgraph may still read an outer value.
    private static void RemoveUnused(GraphProto graph, HashSet<string> replaced)
    {
        // With control flow present, keep everything: its subgraphs may read the old targets.
        if (graph.Node.Any(n => n.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0))) return;
        var used = new HashSet<string>(graph.Node.SelectMany(n => n.Input), StringComparer.Ordinal);
        used.UnionWith(graph.Output.Select(o => o.Name));
        var dead = replaced.Where(r => !used.Contains(r)).ToHashSet(StringComparer.Ordinal);
        foreach (var t in graph.Initializer.Where(t => dead.Contains(t.Name)).ToList()) graph.Initializer.Remove(t);
        foreach (var c in graph.Node.Where(n => n.OpType == "Constant" && n.Output.Count == 1 && dead.Contains(n.Output[0])).ToList())
            graph.Node.Remove(c);
    }
}
