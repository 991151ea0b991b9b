using EdgeVision.Onnx.Proto;

namespace EdgeVision.Training.Transfer;

/// <summary>Typed reads of a node's attributes with the ONNX defaults, failing with the node's name.</summary>
internal static class OnnxNodeAttributes
{
    public static long Int(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    public static float Float(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    public static long[] Ints(NodeProto node, string name, long[] fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? [.. a.Ints] : fallback;

    public static string String(NodeProto node, string name, string fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.S.ToStringUtf8() : fallback;

    /// <summary>Only explicit padding is mapped: SAME_UPPER/SAME_LOWER depend on the input size the graph was written for.</summary>
    public static void RequireExplicitPadding(NodeProto node)
    {
        string autoPad = String(node, "auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "VALID" or ""))
            throw new OnnxMappingException($"node {OnnxNetwork.Describe(node)}: auto_pad {autoPad} is not supported (explicit pads only)");
    }

    /// <summary>ONNX 2-D pads [top, left, bottom, right] as torch's F.pad order [left, right, top, bottom]; null when all zero.</summary>
    public static long[]? TorchPadding(NodeProto node)
    {
        long[] pads = Ints(node, "pads", [0, 0, 0, 0]);
        if (pads.Length != 4) throw new OnnxMappingException($"node {OnnxNetwork.Describe(node)}: {pads.Length} pads; only 2-D (4 pads) is supported");
        if (pads.Any(p => p < 0)) throw new OnnxMappingException($"node {OnnxNetwork.Describe(node)}: negative pads are not supported");
        return pads.All(p => p == 0) ? null : [pads[1], pads[3], pads[0], pads[2]];
    }

    public static long[] Pair(NodeProto node, string name, long fallback)
    {
        long[] values = Ints(node, name, [fallback, fallback]);
        if (values.Length != 2) throw new OnnxMappingException($"node {OnnxNetwork.Describe(node)}: {name} has {values.Length} values; only 2-D is supported");
        return values;
    }
}
