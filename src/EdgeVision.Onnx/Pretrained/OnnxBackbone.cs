using EdgeVision.Core.Model;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Import;
using EdgeVision.Onnx.Proto;
using DataType = EdgeVision.Onnx.Proto.TensorProto.Types.DataType;

namespace EdgeVision.Onnx.Pretrained;

/// <summary>
/// Turns an ONNX graph into a <see cref="PretrainedBackbone"/>: either a feature extractor already (one float
/// [1|N, 3, H, W] input, one [1|N, F] or [1|N, F, 1, 1] output), or a classifier (torchvision export, ONNX model
/// zoo) whose final Gemm/MatMul head — and anything after it, such as a Softmax — is cut off.
/// </summary>
public static class OnnxBackbone
{
    public static PretrainedBackbone FromFeatureGraph(ModelProto source, string path, BackbonePreprocessing preprocessing, string name)
    {
        var model = source.Clone();
        var graph = model.Graph;
        var input = SingleInput(graph, path);
        var (height, width) = CheckInput(input, path);
        if (graph.Output.Count != 1)
            throw new ModelContractException($"{path}: a backbone needs exactly one output, this graph has {graph.Output.Count}");
        var output = graph.Output[0];
        int features = FeatureCountOf(output, path);
        return Finish(model, path, name, input, output.Name, features, height, width, preprocessing);
    }

    /// <summary>Cuts the classifier head: the features are the input of the last Gemm (or MatMul) before the output.</summary>
    public static PretrainedBackbone FromClassifier(ModelProto source, string path, BackbonePreprocessing preprocessing, string name)
    {
        var model = source.Clone();
        var graph = model.Graph;
        if (graph.Output.Count != 1)
            throw new ModelContractException($"{path}: a classifier with exactly one output is needed, this graph has {graph.Output.Count}");
        var output = graph.Output[0];
        var outDims = output.Type?.TensorType?.Shape?.Dim;
        if (outDims is { Count: 4 })
            return FromFeatureGraph(source, path, preprocessing, name); // already pooled features

        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n, StringComparer.Ordinal);
        string value = output.Name;
        NodeProto? head = null;
        // Walk back over the ops a head may end in (Softmax, a bias Add, Flatten/Identity) to the Gemm or MatMul.
        for (int steps = 0; steps < 8 && producers.TryGetValue(value, out var node); steps++)
        {
            if (node.OpType is "Gemm" or "MatMul") { head = node; break; }
            if (node.OpType is not ("Softmax" or "Add" or "Identity" or "Flatten" or "LogSoftmax"))
                throw new ModelContractException($"{path}: cannot find the classifier head: node '{node.Name}' ({node.OpType}) before the output is not Gemm, MatMul, Add or Softmax");
            value = node.Input[0];
        }
        if (head is null) throw new ModelContractException($"{path}: cannot find the classifier head (no Gemm or MatMul before the output)");
        var weight = graph.Initializer.FirstOrDefault(t => t.Name == head.Input[1])
                     ?? throw new ModelContractException($"{path}: the head '{head.Name}' has no constant weight");
        bool transB = head.OpType == "Gemm" && head.Attribute.Any(a => a.Name == "transB" && a.I == 1);
        if (weight.Dims.Count != 2) throw new ModelContractException($"{path}: the head '{head.Name}' weight has rank {weight.Dims.Count}, expected 2");
        int features = checked((int)(transB ? weight.Dims[1] : weight.Dims[0]));
        string featureName = head.Input[0];

        graph.Output.Clear();
        graph.Output.Add(GraphBuilder.ValueInfo(featureName, DataType.Float, [TensorDim.Symbolic(ModelContract.BatchDimension), features]));
        GraphPruning.RemoveUnused(graph);
        var input = SingleInput(graph, path);
        var (height, width) = CheckInput(input, path);
        return Finish(model, path, name, input, featureName, features, height, width, preprocessing);
    }

    private static PretrainedBackbone Finish(ModelProto model, string path, string name, ValueInfoProto input, string featureName, int features,
        int height, int width, BackbonePreprocessing preprocessing)
    {
        preprocessing.Validate(height, width);
        var graph = model.Graph;
        DynamicBatch.MakeBatchSymbolic(input, ModelContract.BatchDimension);
        foreach (var o in graph.Output) DynamicBatch.MakeBatchSymbolic(o, ModelContract.BatchDimension);
        // Shapes recorded for batch 1 contradict any other batch; ORT infers them again.
        graph.ValueInfo.Clear();
        DynamicBatch.RewriteReshapeTargets(graph, GraphNames.All(graph));
        OpsetRaise.ToOpset13IfExact(model);
        // Initializers are no longer listed as inputs (SingleInput), which IR 3 required; IR 8 is what GraphBuilder writes.
        if (model.IrVersion < GraphBuilder.IrVersion) model.IrVersion = GraphBuilder.IrVersion;
        return new PretrainedBackbone
        {
            Name = name,
            Source = path,
            Graph = model,
            InputName = input.Name,
            FeatureName = featureName,
            FeatureCount = features,
            InputHeight = height,
            InputWidth = width,
            Preprocessing = preprocessing,
        };
    }

    private static ValueInfoProto SingleInput(GraphProto graph, string path)
    {
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        // Before IR 4 initializers were also listed as inputs.
        foreach (var listed in graph.Input.Where(i => initializers.Contains(i.Name)).ToList()) graph.Input.Remove(listed);
        if (graph.Input.Count != 1)
            throw new ModelContractException($"{path}: a backbone needs exactly one input, this graph has {graph.Input.Count} ({string.Join(", ", graph.Input.Select(i => i.Name))})");
        return graph.Input[0];
    }

    private static (int Height, int Width) CheckInput(ValueInfoProto input, string path)
    {
        var t = input.Type?.TensorType;
        var dims = t?.Shape?.Dim;
        if (t is null || t.ElemType != (int)DataType.Float || dims is null || dims.Count != 4 || !dims[1].HasDimValue || dims[1].DimValue != 3)
            throw new ModelContractException($"{path}: input '{input.Name}' must be float [1|N, 3, H, W]");
        if (dims[0].HasDimValue && dims[0].DimValue != 1)
            throw new ModelContractException($"{path}: input '{input.Name}' has a fixed batch of {dims[0].DimValue}; batch 1 or symbolic is needed");
        if (!dims[2].HasDimValue || !dims[3].HasDimValue)
            throw new ModelContractException($"{path}: input '{input.Name}' needs a fixed height and width");
        return (checked((int)dims[2].DimValue), checked((int)dims[3].DimValue));
    }

    private static int FeatureCountOf(ValueInfoProto output, string path)
    {
        var dims = output.Type?.TensorType?.Shape?.Dim;
        bool pooled = dims is { Count: 4 } && dims[2].DimValue == 1 && dims[3].DimValue == 1;
        if (dims is null || !(dims.Count == 2 || pooled) || !dims[1].HasDimValue)
            throw new ModelContractException($"{path}: output '{output.Name}' must be features [1|N, F] or [1|N, F, 1, 1]");
        return checked((int)dims[1].DimValue);
    }
}
