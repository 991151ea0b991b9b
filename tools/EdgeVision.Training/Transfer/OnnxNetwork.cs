using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Proto;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Transfer;

/// <summary>
/// An ONNX ResNet graph as trainable TorchSharp modules, built from the graph itself rather than matched to
/// one zoo layout: the CNTK ImageNet ResNet-18 (asymmetric pads, a fixed 7×7 AveragePool), torchvision exports
/// and our own writer's graphs all run through the same small op set — Conv, BatchNormalization, Relu, Add,
/// MaxPool, AveragePool, GlobalAveragePool, Flatten, Reshape (constant shape), Gemm, Identity. Nodes run in the
/// graph's (topological) order; a node outside that set stops construction with its name.
/// Each parameterised node is a child module named <c>n{index}</c>; <see cref="Stages"/> says which part of
/// the network (stem, layer1…) it belongs to, for freezing.
/// </summary>
public sealed class OnnxNetwork : nn.Module<Tensor, Tensor>
{
    private readonly List<Step> _steps = [];
    private readonly string _input;
    private readonly string _output;
    private readonly Dictionary<string, nn.Module<Tensor, Tensor>> _byNode = new(StringComparer.Ordinal);

    private sealed record Step(NodeProto Node, string[] Inputs, string Output, Func<Tensor[], Tensor> Run, string? Module = null);

    /// <param name="graph">A float graph with one input [N, 3, H, W]; <paramref name="output"/> is the value to compute (default: the graph's single output).</param>
    public OnnxNetwork(ModelProto graph, string? output = null, string name = "onnx") : base(name)
    {
        var g = graph.Graph;
        var initializers = g.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var constants = new Dictionary<string, TensorProto>(initializers, StringComparer.Ordinal);
        var dynamicInputs = g.Input.Where(i => !initializers.ContainsKey(i.Name)).ToList();
        if (dynamicInputs.Count != 1) throw new OnnxMappingException($"the graph has {dynamicInputs.Count} non-constant inputs; one image input is needed");
        _input = dynamicInputs[0].Name;
        _output = output ?? (g.Output.Count == 1 ? g.Output[0].Name : throw new OnnxMappingException($"the graph has {g.Output.Count} outputs; name the one to compute"));
        var usedInitializers = new HashSet<string>(StringComparer.Ordinal);
        var known = new HashSet<string>(StringComparer.Ordinal) { _input };

        for (int i = 0; i < g.Node.Count; i++)
        {
            var node = g.Node[i];
            if (node.Domain is not ("" or "ai.onnx")) throw new OnnxMappingException($"cannot map node {Describe(node)}: domain '{node.Domain}' is not the standard ONNX one");
            if (node.OpType == "Constant")
            {
                var value = node.Attribute.FirstOrDefault(a => a.Name == "value")?.T
                            ?? throw new OnnxMappingException($"cannot map node {Describe(node)}: only Constant with a tensor 'value' is supported");
                constants[node.Output[0]] = value;
                continue;
            }
            string nodeName = $"n{i}";
            var step = Map(node, nodeName, constants, initializers, usedInitializers, known);
            _steps.Add(step);
            known.Add(step.Output);
            if (step.Output == _output) break;
        }
        if (!known.Contains(_output)) throw new OnnxMappingException($"no node of the graph produces '{_output}'");
        int[] stages = BackboneStages.Assign(_steps.Select(s => s.Node).ToList(), _input);
        Stages = _steps.Select((s, i) => (s.Module, Stage: stages[i])).Where(p => p.Module is not null)
            .ToDictionary(p => p.Module!, p => p.Stage, StringComparer.Ordinal);
        ParameterisedNodes = _byNode.ToDictionary(p => p.Key, p => (nn.Module)p.Value, StringComparer.Ordinal);
    }

    /// <summary>Child module name (n{index}) → the stage it belongs to (0 = stem, 1 = layer1, …).</summary>
    public IReadOnlyDictionary<string, int> Stages { get; }

    /// <summary>Child module name → module, for every node with parameters.</summary>
    public IReadOnlyDictionary<string, nn.Module> ParameterisedNodes { get; }

    /// <summary>How many residual stages (layer1…) the graph has.</summary>
    public int LayerCount => Stages.Count == 0 ? 0 : Stages.Values.Max();

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [_input] = x };
        foreach (var step in _steps)
        {
            var inputs = new Tensor[step.Inputs.Length];
            for (int i = 0; i < inputs.Length; i++) inputs[i] = values[step.Inputs[i]];
            values[step.Output] = step.Run(inputs);
        }
        return values[_output].MoveToOuterDisposeScope();
    }

    /// <summary>Every tensor read from a graph initializer, by initializer name (trained values for export).</summary>
    public IEnumerable<(string Initializer, Tensor Value)> InitializerValues()
    {
        foreach (var module in _byNode.Values)
        {
            var tensors = module.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
                .Concat(module.named_buffers().Select(b => (b.name, b.buffer)))
                .ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
            foreach (var (tensor, initializer) in ((IOnnxParameterised)module).Initializers) yield return (initializer, tensors[tensor]);
        }
    }

    /// <summary>Every mapped node with its initializers: (module name, tensor name, initializer name), in graph order.</summary>
    public IEnumerable<(string Module, string Tensor, string Initializer)> InitializerMap() =>
        _byNode.SelectMany(p => ((IOnnxParameterised)p.Value).Initializers.Select(i => (p.Key, i.Tensor, i.Initializer)));

    internal static string Describe(NodeProto node) =>
        string.IsNullOrEmpty(node.Name) ? $"{node.OpType} → '{string.Join(",", node.Output)}'" : $"'{node.Name}' ({node.OpType})";

    private Step Map(NodeProto node, string moduleName, Dictionary<string, TensorProto> constants, Dictionary<string, TensorProto> initializers,
        HashSet<string> used, HashSet<string> known)
    {
        string Dynamic(int index)
        {
            if (node.Input.Count <= index) throw new OnnxMappingException($"cannot map node {Describe(node)}: input {index} is missing");
            string v = node.Input[index];
            if (!known.Contains(v)) throw new OnnxMappingException($"cannot map node {Describe(node)}: input '{v}' is a constant or not computed before it");
            return v;
        }
        Tensor Parameter(int index, bool optional = false)
        {
            if (node.Input.Count <= index || node.Input[index] == "")
                return optional ? null! : throw new OnnxMappingException($"cannot map node {Describe(node)}: input {index} is missing");
            string v = node.Input[index];
            if (!initializers.TryGetValue(v, out var t)) throw new OnnxMappingException($"cannot map node {Describe(node)}: input '{v}' must be a constant initializer");
            if (!used.Add(v)) throw new OnnxMappingException($"cannot map node {Describe(node)}: initializer '{v}' is shared with another node");
            if (t.DataType != (int)TensorProto.Types.DataType.Float) throw new OnnxMappingException($"cannot map node {Describe(node)}: initializer '{v}' is not float32");
            return torch.tensor(OnnxTensor.ToFloats(t), [.. t.Dims]);
        }
        string output = node.Output.Count >= 1 ? node.Output[0] : throw new OnnxMappingException($"cannot map node {Describe(node)}: it has no output");
        string[] one() => [Dynamic(0)];

        switch (node.OpType)
        {
            case "Conv":
            {
                OnnxNodeAttributes.RequireExplicitPadding(node);
                var w = Parameter(1);
                if (w.dim() != 4) throw new OnnxMappingException($"cannot map node {Describe(node)}: only 2-D convolutions are supported");
                var b = Parameter(2, optional: true);
                var conv = new OnnxConv(moduleName, w, b, OnnxNodeAttributes.Pair(node, "strides", 1), OnnxNodeAttributes.TorchPadding(node),
                    OnnxNodeAttributes.Pair(node, "dilations", 1), OnnxNodeAttributes.Int(node, "group", 1), node.Input[1], b is null ? null : node.Input[2]);
                return Register(node, moduleName, conv, one(), output);
            }
            case "BatchNormalization":
            {
                if (node.Output.Count > 1 && node.Output.Skip(1).Any(o => o != ""))
                    throw new OnnxMappingException($"cannot map node {Describe(node)}: a training-mode BatchNormalization (extra outputs) is not supported");
                var bn = new OnnxBatchNorm(moduleName, Parameter(1), Parameter(2), Parameter(3), Parameter(4),
                    OnnxNodeAttributes.Float(node, "epsilon", 1e-5f), OnnxNodeAttributes.Float(node, "momentum", 0.9f), [.. node.Input.Skip(1).Take(4)]);
                return Register(node, moduleName, bn, one(), output);
            }
            case "Gemm":
            {
                if (OnnxNodeAttributes.Int(node, "transA", 0) != 0 || OnnxNodeAttributes.Float(node, "alpha", 1f) != 1f || OnnxNodeAttributes.Float(node, "beta", 1f) != 1f)
                    throw new OnnxMappingException($"cannot map node {Describe(node)}: only Gemm with transA = 0, alpha = beta = 1 is supported");
                var w = Parameter(1);
                var b = Parameter(2, optional: true);
                var gemm = new OnnxGemm(moduleName, w, b, OnnxNodeAttributes.Int(node, "transB", 0) == 1, node.Input[1], b is null ? null : node.Input[2]);
                return Register(node, moduleName, gemm, one(), output);
            }
            case "Relu":
                return new Step(node, one(), output, x => nn.functional.relu(x[0]));
            case "Identity":
                return new Step(node, one(), output, x => x[0].alias());
            case "Add":
                return new Step(node, [Dynamic(0), Dynamic(1)], output, x => x[0].add(x[1]));
            case "Flatten":
            {
                long axis = OnnxNodeAttributes.Int(node, "axis", 1);
                if (axis != 1) throw new OnnxMappingException($"cannot map node {Describe(node)}: only Flatten with axis 1 is supported");
                return new Step(node, one(), output, x => x[0].flatten(1));
            }
            case "Reshape":
            {
                if (node.Input.Count < 2 || !constants.TryGetValue(node.Input[1], out var shapeTensor))
                    throw new OnnxMappingException($"cannot map node {Describe(node)}: only Reshape to a constant shape is supported");
                long[] shape = OnnxTensor.ToLongs(shapeTensor);
                return new Step(node, one(), output, x =>
                {
                    var target = shape.Select((d, i) => d == 0 ? x[0].shape[i] : d).ToArray();
                    return x[0].reshape(target);
                });
            }
            case "MaxPool":
            {
                OnnxNodeAttributes.RequireExplicitPadding(node);
                if (node.Output.Count > 1 && node.Output[1] != "") throw new OnnxMappingException($"cannot map node {Describe(node)}: MaxPool indices are not supported");
                if (OnnxNodeAttributes.Int(node, "ceil_mode", 0) != 0) throw new OnnxMappingException($"cannot map node {Describe(node)}: ceil_mode is not supported");
                long[] kernel = OnnxNodeAttributes.Pair(node, "kernel_shape", 0), stride = OnnxNodeAttributes.Pair(node, "strides", 1);
                long[] dilation = OnnxNodeAttributes.Pair(node, "dilations", 1);
                long[]? pad = OnnxNodeAttributes.TorchPadding(node);
                // Padding a max pool means "never the maximum": pad with −∞, then pool unpadded.
                return new Step(node, one(), output, x => nn.functional.max_pool2d(
                    pad is null ? x[0] : nn.functional.pad(x[0], pad, value: double.NegativeInfinity), kernel, stride, dilation: dilation));
            }
            case "AveragePool":
            {
                OnnxNodeAttributes.RequireExplicitPadding(node);
                if (OnnxNodeAttributes.Int(node, "ceil_mode", 0) != 0) throw new OnnxMappingException($"cannot map node {Describe(node)}: ceil_mode is not supported");
                long[] kernel = OnnxNodeAttributes.Pair(node, "kernel_shape", 0), stride = OnnxNodeAttributes.Pair(node, "strides", 1);
                long[] pads = OnnxNodeAttributes.Ints(node, "pads", [0, 0, 0, 0]);
                bool includePad = OnnxNodeAttributes.Int(node, "count_include_pad", 0) == 1;
                if (pads.Length != 4 || pads[0] != pads[2] || pads[1] != pads[3])
                    throw new OnnxMappingException($"cannot map node {Describe(node)}: only symmetric AveragePool padding is supported");
                long[] padding = [pads[0], pads[1]];
                return new Step(node, one(), output, x => nn.functional.avg_pool2d(x[0], kernel, stride, padding, count_include_pad: includePad));
            }
            case "GlobalAveragePool":
                return new Step(node, one(), output, x => x[0].mean([2, 3], keepdim: true));
            default:
                throw new OnnxMappingException($"cannot map node {Describe(node)}: op {node.OpType} is outside the ResNet op set (Conv, BatchNormalization, Relu, Add, MaxPool, AveragePool, GlobalAveragePool, Flatten, Reshape, Gemm, Identity)");
        }
    }

    private Step Register(NodeProto node, string moduleName, nn.Module<Tensor, Tensor> module, string[] inputs, string output)
    {
        register_module(moduleName, module);
        _byNode[moduleName] = module;
        return new Step(node, inputs, output, x => module.forward(x[0]), moduleName);
    }
}
