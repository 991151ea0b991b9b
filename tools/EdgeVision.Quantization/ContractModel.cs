using EdgeVision.Core.Model;
using EdgeVision.Inference;
using EdgeVision.Onnx.Proto;

namespace EdgeVision.Quantization;

/// <summary>A parsed ONNX model checked against the EdgeVision contract: graph signature and metadata.</summary>
public sealed record ContractModel(ModelProto Model, ModelMetadata Metadata, ContractGraph Signature, string Source)
{
    public static ContractModel Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"model '{path}' does not exist", path);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new ModelContractException($"{path}: not an ONNX model ({e.Message})", e);
        }
        return From(model, path);
    }

    /// <summary>Throws <see cref="ModelContractException"/> naming <paramref name="source"/> and what breaks the contract.</summary>
    public static ContractModel From(ModelProto model, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ContractGraph signature;
        try
        {
            signature = ContractGraph.Inspect(model);
        }
        catch (ModelContractException e)
        {
            throw new ModelContractException($"{source} is not an EdgeVision contract model: {e.Message}", e);
        }
        var props = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in model.MetadataProps) props[p.Key] = p.Value;
        var metadata = ModelMetadata.FromProperties(props, source);
        if (metadata.InputWidth != signature.Width || metadata.InputHeight != signature.Height)
            throw new ModelContractException($"{source}: metadata says {metadata.InputWidth}×{metadata.InputHeight}, the graph input is {signature.Width}×{signature.Height}");
        if (metadata.Labels.Count != signature.Classes)
            throw new ModelContractException($"{source}: metadata has {metadata.Labels.Count} labels, the graph outputs {signature.Classes} classes");
        return new ContractModel(model, metadata, signature, source);
    }

    /// <summary>A copy of <paramref name="model"/> whose edgevision.* metadata is <paramref name="metadata"/>; other keys are kept.</summary>
    public static ModelProto WithMetadata(ModelProto model, ModelMetadata metadata)
    {
        metadata.Validate();
        var result = model.Clone();
        var others = result.MetadataProps.Where(p => !p.Key.StartsWith("edgevision.", StringComparison.Ordinal)).ToList();
        result.MetadataProps.Clear();
        result.MetadataProps.AddRange(others);
        foreach (var (key, value) in metadata.ToProperties().OrderBy(p => p.Key, StringComparer.Ordinal))
            result.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return result;
    }
}
