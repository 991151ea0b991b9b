using EdgeVision.Core.Model;
using EdgeVision.Onnx.Proto;

namespace EdgeVision.Inference;

/// <summary>
/// What the graph's declared input and output say, checked against the model contract before ONNX Runtime
/// sees the file, so a wrong model fails with a reason instead of a native error deep in a Run.
/// </summary>
public sealed record ContractGraph(int Height, int Width, int Classes, int? FixedBatch)
{
    /// <summary>Throws <see cref="ModelContractException"/> with the first way the graph breaks the contract.</summary>
    public static ContractGraph Inspect(ModelProto model)
    {
        var graph = model.Graph ?? throw new ModelContractException("the file holds no graph");
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var feeds = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        if (feeds.Count != 1)
        {
            throw new ModelContractException(
                $"the graph has {feeds.Count} inputs ({Names(feeds)}); the contract has exactly one, '{ModelContract.InputName}'");
        }
        var input = feeds[0];
        if (input.Name != ModelContract.InputName)
            throw new ModelContractException($"the input is called '{input.Name}', the contract calls it '{ModelContract.InputName}'");
        var inType = TensorType(input);
        if (inType.ElemType != (int)TensorProto.Types.DataType.Uint8)
            throw new ModelContractException($"input '{input.Name}' is {ElementName(inType.ElemType)}, the contract needs uint8 [N,H,W,3] BGR");
        var inDims = Dims(input, inType);
        if (inDims.Count != 4)
            throw new ModelContractException($"input '{input.Name}' has rank {inDims.Count} ({Describe(inDims)}), the contract needs [N,H,W,3]");
        int? fixedBatch = inDims[0].HasDimValue ? checked((int)inDims[0].DimValue) : null;
        if (fixedBatch is < 1)
            throw new ModelContractException($"input '{input.Name}' has batch dimension {fixedBatch}");
        int height = Fixed(inDims[1], input.Name, "height");
        int width = Fixed(inDims[2], input.Name, "width");
        if (!inDims[3].HasDimValue || inDims[3].DimValue != ModelContract.InputChannels)
            throw new ModelContractException($"input '{input.Name}' is {Describe(inDims)}; the last dimension must be 3 (interleaved BGR)");

        var output = graph.Output.FirstOrDefault(o => o.Name == ModelContract.ProbabilitiesName)
                     ?? throw new ModelContractException(
                         $"the graph has no output '{ModelContract.ProbabilitiesName}' (outputs: {Names(graph.Output)})");
        var outType = TensorType(output);
        if (outType.ElemType != (int)TensorProto.Types.DataType.Float)
            throw new ModelContractException($"output '{output.Name}' is {ElementName(outType.ElemType)}, the contract needs float32 [N,C]");
        var outDims = Dims(output, outType);
        if (outDims.Count != 2)
            throw new ModelContractException($"output '{output.Name}' has rank {outDims.Count} ({Describe(outDims)}), the contract needs [N,C]");
        int classes = Fixed(outDims[1], output.Name, "class count");
        return new ContractGraph(height, width, classes, fixedBatch);
    }

    private static TypeProto.Types.Tensor TensorType(ValueInfoProto value) =>
        value.Type?.TensorType ?? throw new ModelContractException($"'{value.Name}' is not a tensor");

    private static IReadOnlyList<TensorShapeProto.Types.Dimension> Dims(ValueInfoProto value, TypeProto.Types.Tensor type) =>
        type.Shape?.Dim ?? throw new ModelContractException($"'{value.Name}' declares no shape");

    private static int Fixed(TensorShapeProto.Types.Dimension dim, string tensor, string what)
    {
        if (!dim.HasDimValue)
            throw new ModelContractException($"'{tensor}' has a symbolic {what} '{dim.DimParam}'; the contract needs a fixed size");
        if (dim.DimValue is < 1 or > int.MaxValue)
            throw new ModelContractException($"'{tensor}' has {what} {dim.DimValue}");
        return (int)dim.DimValue;
    }

    private static string Describe(IEnumerable<TensorShapeProto.Types.Dimension> dims) =>
        "[" + string.Join(",", dims.Select(d => d.HasDimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.DimParam is { Length: > 0 } p ? p : "?")) + "]";

    private static string Names(IEnumerable<ValueInfoProto> values) =>
        string.Join(", ", values.Select(v => $"'{v.Name}'")) is { Length: > 0 } s ? s : "none";

    private static string ElementName(int type) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), type)
            ? ((TensorProto.Types.DataType)type).ToString().ToLowerInvariant()
            : $"element type {type}";
}
