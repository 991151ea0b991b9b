using EdgeVision.Onnx.Proto;

namespace EdgeVision.Training.Transfer;

/// <summary>
/// Which part of a ResNet each node belongs to, read from the graph's shape rather than its names (CNTK,
/// torchvision and our writer name nodes differently): the stem ends where the first residual block begins,
/// at the first value two nodes consume (the block's branch and its shortcut); after it, a node's stage is
/// 1 + the number of stride-2 steps between the stem's output and it, so layer1 keeps the stem's resolution
/// and each later layer starts with the strided convolution that halves it. Only parameterised nodes'
/// stages matter (they are what freezing stops); a final pooling node's stage is never used.
/// </summary>
internal static class BackboneStages
{
    public static int[] Assign(IReadOnlyList<NodeProto> nodes, string input)
    {
        var consumers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in nodes)
        foreach (string v in node.Input.Distinct())
            consumers[v] = consumers.GetValueOrDefault(v) + 1;

        var level = new Dictionary<string, int>(StringComparer.Ordinal) { [input] = 0 };
        var stages = new int[nodes.Count];
        int? stemLevel = null;
        for (int i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            int l = node.Input.Where(level.ContainsKey).Select(v => level[v]).DefaultIfEmpty(0).Max();
            if (IsStrided(node)) l++;
            foreach (string o in node.Output) level[o] = l;
            if (stemLevel is null)
            {
                stages[i] = 0;
                if (node.Output.Any(o => consumers.GetValueOrDefault(o) >= 2)) stemLevel = l;
                continue;
            }
            stages[i] = 1 + Math.Max(0, l - stemLevel.Value);
        }
        return stages;
    }

    private static bool IsStrided(NodeProto node) =>
        node.OpType is "Conv" or "MaxPool" or "AveragePool" &&
        OnnxNodeAttributes.Ints(node, "strides", [1, 1]).Any(s => s > 1);
}
