using EdgeVision.Core.Model;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Proto;
using DataType = EdgeVision.Onnx.Proto.TensorProto.Types.DataType;

namespace EdgeVision.Onnx.Import;

/// <summary>
/// Turns a standard float classifier (torchvision / ONNX model zoo: [1|N, 3, H, W] normalized RGB in, logits
/// or probabilities [1|N, C] out) into a contract model: uint8 BGR NHWC "images" in with the preprocessing in
/// the graph, "probabilities" and "logits" out, dynamic batch, labels and preprocessing in the metadata.
/// </summary>
public static class ContractImporter
{
    /// <summary>The result and what was done to get it (for the CLI to report).</summary>
    public sealed record Result(ModelProto Model, int ClassCount, bool SoftmaxAppended, bool PreprocessingFoldedIntoConv, int ReshapesRewritten);

    public static Result Import(ModelProto source, ImportOptions options, string sourceName = "model")
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (source.Graph is null) throw new ModelContractException($"{sourceName}: has no graph");

        var model = source.Clone();
        var graph = model.Graph;
        var initializerNames = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        // Before IR 4, initializers were also listed as graph inputs; only the others are fed at run time.
        var inputs = graph.Input.Where(i => !initializerNames.Contains(i.Name)).ToList();
        if (inputs.Count != 1)
            throw new ModelContractException($"{sourceName}: a classifier with exactly one input is needed, this one has {inputs.Count} ({string.Join(", ", inputs.Select(i => i.Name))})");
        var input = inputs[0];
        var (height, width) = CheckInput(input, options, sourceName);
        if (graph.Output.Count != 1)
            throw new ModelContractException($"{sourceName}: a classifier with exactly one output is needed, this one has {graph.Output.Count} ({string.Join(", ", graph.Output.Select(o => o.Name))})");
        var output = graph.Output[0];
        int classes = CheckOutput(output, sourceName);
        if (options.Labels.Count != classes)
            throw new ModelContractException($"{sourceName}: the model has {classes} classes but the labels file lists {options.Labels.Count} labels");

        var taken = GraphNames.All(graph);
        foreach (string ours in new[] { ModelContract.InputName, ModelContract.ProbabilitiesName, ModelContract.LogitsName })
        {
            if (ours != input.Name && ours != output.Name) GraphNames.Evict(graph, ours, taken);
            taken.Add(ours);
        }

        // The head: keep a trailing Softmax and expose its input as logits; otherwise the output is the logits.
        var producer = graph.Node.LastOrDefault(n => n.Output.Contains(output.Name));
        bool endsInSoftmax = producer is not null && producer.OpType == "Softmax" && SoftmaxOverClasses(producer);
        graph.Output.Clear();
        if (endsInSoftmax)
        {
            string logitsValue = producer!.Input[0];
            bool logitsIsComputed = graph.Node.Any(n => n.Output.Contains(logitsValue));
            GraphNames.Rename(graph, output.Name, ModelContract.ProbabilitiesName);
            if (logitsIsComputed) GraphNames.Rename(graph, logitsValue, ModelContract.LogitsName);
        }
        else
        {
            GraphNames.Rename(graph, output.Name, ModelContract.LogitsName);
            var softmax = new NodeProto { OpType = "Softmax", Name = GraphNames.Fresh(taken, "import.softmax") };
            softmax.Input.Add(ModelContract.LogitsName);
            softmax.Output.Add(ModelContract.ProbabilitiesName);
            softmax.Attribute.Add(OnnxAttributes.Int("axis", 1));
            graph.Node.Add(softmax);
        }
        graph.Output.Add(GraphBuilder.ValueInfo(ModelContract.ProbabilitiesName, DataType.Float, [TensorDim.Symbolic(ModelContract.BatchDimension), classes]));
        if (graph.Node.Any(n => n.Output.Contains(ModelContract.LogitsName)))
            graph.Output.Add(GraphBuilder.ValueInfo(ModelContract.LogitsName, DataType.Float, [TensorDim.Symbolic(ModelContract.BatchDimension), classes]));

        // The input: uint8 BGR NHWC, then the preprocessing feeding the old input's consumers.
        graph.Input.Remove(input);
        graph.Input.Insert(0, GraphBuilder.ValueInfo(ModelContract.InputName, DataType.Uint8,
            [TensorDim.Symbolic(ModelContract.BatchDimension), height, width, ModelContract.InputChannels]));
        bool folded = ImportPreprocessing.Prepend(graph, input.Name, options, taken);

        // Shapes recorded for batch 1 would contradict any other batch; ORT infers them again.
        graph.ValueInfo.Clear();
        int reshapes = DynamicBatch.RewriteReshapeTargets(graph, taken);

        var metadata = new ModelMetadata
        {
            Labels = options.Labels,
            Architecture = options.Architecture ?? (string.IsNullOrWhiteSpace(graph.Name) ? "imported" : graph.Name),
            InputWidth = width,
            InputHeight = height,
            Color = ColorMode.Rgb,
            Mean = options.Mean,
            Std = options.Std,
            Resize = options.Resize,
            Dataset = options.Dataset,
        };
        metadata.Validate();
        var props = metadata.ToProperties();
        var kept = model.MetadataProps.Where(p => !props.ContainsKey(p.Key)).ToList();
        model.MetadataProps.Clear();
        model.MetadataProps.AddRange(kept);
        foreach (var (key, value) in props.OrderBy(p => p.Key, StringComparer.Ordinal))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return new Result(model, classes, !endsInSoftmax, folded, reshapes);
    }

    private static (int Height, int Width) CheckInput(ValueInfoProto input, ImportOptions options, string sourceName)
    {
        var tensor = input.Type?.TensorType;
        string described = Describe(input);
        if (tensor is null || tensor.ElemType != (int)DataType.Float)
            throw new ModelContractException($"{sourceName}: input '{input.Name}' is {described}; import needs float [1|N, 3, H, W] (normalized RGB, NCHW)");
        var dims = tensor.Shape?.Dim;
        if (dims is null || dims.Count != 4)
            throw new ModelContractException($"{sourceName}: input '{input.Name}' is {described}; import needs rank 4 float [1|N, 3, H, W]");
        if (dims[0].HasDimValue && dims[0].DimValue != 1)
            throw new ModelContractException($"{sourceName}: input '{input.Name}' has a fixed batch of {dims[0].DimValue}; import needs batch 1 or a symbolic batch");
        if (!dims[1].HasDimValue || dims[1].DimValue != 3)
            throw new ModelContractException($"{sourceName}: input '{input.Name}' is {described}; import needs 3 channels in dimension 1 (NCHW RGB)");
        int height = Spatial(dims[2], options.Height, "height", input.Name, sourceName);
        int width = Spatial(dims[3], options.Width, "width", input.Name, sourceName);
        return (height, width);
    }

    private static int Spatial(TensorShapeProto.Types.Dimension dim, int? requested, string what, string inputName, string sourceName)
    {
        if (dim.HasDimValue)
        {
            if (requested is { } r && r != dim.DimValue)
                throw new ModelContractException($"{sourceName}: input '{inputName}' has a fixed {what} of {dim.DimValue}, not the requested {r}");
            return checked((int)dim.DimValue);
        }
        return requested ?? throw new ModelContractException($"{sourceName}: input '{inputName}' has no fixed {what}; give the input size");
    }

    private static int CheckOutput(ValueInfoProto output, string sourceName)
    {
        var tensor = output.Type?.TensorType;
        var dims = tensor?.Shape?.Dim;
        if (tensor is null || tensor.ElemType != (int)DataType.Float || dims is null || dims.Count != 2)
            throw new ModelContractException($"{sourceName}: output '{output.Name}' is {Describe(output)}; import needs float [1|N, C] class scores");
        if (dims[0].HasDimValue && dims[0].DimValue != 1)
            throw new ModelContractException($"{sourceName}: output '{output.Name}' has a fixed batch of {dims[0].DimValue}; import needs batch 1 or a symbolic batch");
        if (!dims[1].HasDimValue || dims[1].DimValue < 2)
            throw new ModelContractException($"{sourceName}: output '{output.Name}' is {Describe(output)}; the class dimension must be fixed and at least 2");
        return checked((int)dims[1].DimValue);
    }

    // Softmax over the last axis of a rank-2 output is over the classes: axis 1 or -1 (the default from opset 13; before, 1).
    private static bool SoftmaxOverClasses(NodeProto softmax)
    {
        var axis = softmax.Attribute.FirstOrDefault(a => a.Name == "axis");
        return axis is null || axis.I is 1 or -1;
    }

    private static string Describe(ValueInfoProto v)
    {
        var t = v.Type?.TensorType;
        if (t is null) return "not a tensor";
        string type = ((DataType)t.ElemType).ToString().ToLowerInvariant();
        if (t.Shape is null) return $"{type} of unknown shape";
        return $"{type} [{string.Join(", ", t.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.HasDimParam ? d.DimParam : "?"))}]";
    }
}
