using EdgeVision.Onnx.Proto;

namespace EdgeVision.Onnx.Pretrained;

/// <summary>
/// Old exports (the CNTK ResNet-18 is opset 8) are raised to opset 13 when every node means the same there, so
/// models built on them share the opset of everything else we write (QDQ quantization needs 13). The only
/// change these ops saw between 8 and 13 is BatchNormalization's <c>spatial</c> attribute, removed in 9: 1 is
/// what later opsets always do, so it is dropped; any other value, or any other op, leaves the model as it was.
/// </summary>
internal static class OpsetRaise
{
    private const long Target = 13;

    private static readonly HashSet<string> SameSince8 = new(StringComparer.Ordinal)
    {
        "Conv", "BatchNormalization", "Relu", "Add", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Identity",
    };

    public static bool ToOpset13IfExact(ModelProto model)
    {
        var opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx");
        if (opset is null || opset.Version >= Target) return false;
        var nodes = model.Graph.Node;
        if (nodes.Any(n => !SameSince8.Contains(n.OpType) || n.Domain is not ("" or "ai.onnx"))) return false;
        if (nodes.Any(n => n.OpType == "BatchNormalization" && n.Attribute.Any(a => a.Name == "spatial" && a.I != 1))) return false;
        if (nodes.Any(n => n.OpType == "MaxPool" && n.Output.Count > 1)) return false; // the Indices output changed meaning in 8→10
        foreach (var bn in nodes.Where(n => n.OpType == "BatchNormalization"))
        {
            if (bn.Attribute.FirstOrDefault(a => a.Name == "spatial") is { } spatial) bn.Attribute.Remove(spatial);
        }
        opset.Version = Target;
        return true;
    }
}
