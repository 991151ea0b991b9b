using System.Text.Json;
using EdgeVision.Core.Model;
using EdgeVision.Onnx.Proto;
using Google.Protobuf;

namespace EdgeVision.Inference.Tests;

/// <summary>
/// A small hand-built contract model (uint8 NHWC in → cast, scale, NCHW, 3×3 conv, ReLU, global pool,
/// linear, softmax) whose every contract-relevant part a test can break on purpose.
/// </summary>
public sealed record TinyContractModel
{
    public int Height { get; init; } = 16;
    public int Width { get; init; } = 20;
    public int Classes { get; init; } = 6;
    public string InputName { get; init; } = ModelContract.InputName;
    public TensorProto.Types.DataType InputType { get; init; } = TensorProto.Types.DataType.Uint8;
    public string OutputName { get; init; } = ModelContract.ProbabilitiesName;
    public TensorProto.Types.DataType OutputType { get; init; } = TensorProto.Types.DataType.Float;

    /// <summary>Null: use the shape the graph really has. Entries are ints (fixed) or strings (symbolic).</summary>
    public object[]? DeclaredInputShape { get; init; }
    public object[]? DeclaredOutputShape { get; init; }

    /// <summary>Classes the linear layer really produces (differs from <see cref="Classes"/> to lie in the declaration).</summary>
    public int? ActualClasses { get; init; }

    public ResizePolicy Resize { get; init; } = ResizePolicy.Stretch;
    public int? LabelCount { get; init; }
    public Action<Dictionary<string, string>>? EditMetadata { get; init; }
    public int Seed { get; init; } = 7;

    /// <summary>Channels after the first convolution.</summary>
    public int Hidden { get; init; } = 4;

    /// <summary>Extra hidden×hidden 3×3 conv + ReLU layers, to make a run slow enough to interrupt.</summary>
    public int ExtraConvs { get; init; }

    public ModelMetadata Metadata => new()
    {
        Labels = Enumerable.Range(0, LabelCount ?? Classes).Select(i => $"class {i}").ToList(),
        Architecture = "tiny",
        InputWidth = Width,
        InputHeight = Height,
        Color = ColorMode.Bgr,
        Mean = [0f, 0f, 0f],
        Std = [1f, 1f, 1f],
        Resize = Resize,
    };

    public ModelProto Build()
    {
        int hidden = Hidden;
        int classes = ActualClasses ?? Classes;
        var rng = new Random(Seed);
        float[] Rand(int n, float scale) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1) * scale).ToArray();

        var g = new GraphProto { Name = "tiny" };
        g.Initializer.Add(Floats("scale", [1f / 255f], []));
        g.Initializer.Add(Floats("conv.w", Rand(hidden * 3 * 9, 0.5f), [hidden, 3, 3, 3]));
        g.Initializer.Add(Floats("conv.b", Rand(hidden, 0.1f), [hidden]));
        g.Initializer.Add(Floats("fc.w", Rand(classes * hidden, 3f), [classes, hidden]));
        g.Initializer.Add(Floats("fc.b", Rand(classes, 0.2f), [classes]));
        g.Node.Add(Node("Cast", [InputName], ["f"], Int("to", (int)TensorProto.Types.DataType.Float)));
        g.Node.Add(Node("Mul", ["f", "scale"], ["scaled"]));
        g.Node.Add(Node("Transpose", ["scaled"], ["nchw"], Ints("perm", 0, 3, 1, 2)));
        g.Node.Add(Node("Conv", ["nchw", "conv.w", "conv.b"], ["conv"], Ints("pads", 1, 1, 1, 1)));
        g.Node.Add(Node("Relu", ["conv"], ["relu"]));
        string last = "relu";
        for (int i = 0; i < ExtraConvs; i++)
        {
            g.Initializer.Add(Floats($"conv{i}.w", Rand(hidden * hidden * 9, 1f / hidden), [hidden, hidden, 3, 3]));
            g.Node.Add(Node("Conv", [last, $"conv{i}.w"], [$"conv{i}"], Ints("pads", 1, 1, 1, 1)));
            g.Node.Add(Node("Relu", [$"conv{i}"], [$"relu{i}"]));
            last = $"relu{i}";
        }
        g.Node.Add(Node("GlobalAveragePool", [last], ["pool"]));
        g.Node.Add(Node("Flatten", ["pool"], ["flat"]));
        g.Node.Add(Node("Gemm", ["flat", "fc.w", "fc.b"], ["logits"], Int("transB", 1)));
        g.Node.Add(Node("Softmax", ["logits"], [OutputName], Int("axis", 1)));
        g.Input.Add(Value(InputName, InputType, DeclaredInputShape ?? [ModelContract.BatchDimension, Height, Width, 3]));
        g.Output.Add(Value(OutputName, OutputType, DeclaredOutputShape ?? [ModelContract.BatchDimension, Classes]));

        var model = new ModelProto { IrVersion = 8, ProducerName = "EdgeVision.Inference.Tests", Graph = g };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        var props = new Dictionary<string, string>(Metadata.ToProperties());
        EditMetadata?.Invoke(props);
        foreach (var (k, v) in props) model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        return model;
    }

    public string Save(string directory, string name = "tiny.onnx")
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, Build().ToByteArray());
        return path;
    }

    public static string LabelsJson(int n) => JsonSerializer.Serialize(Enumerable.Range(0, n).Select(i => $"c{i}"));

    private static TensorProto Floats(string name, float[] data, long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(data);
        return t;
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = op + "_" + outputs[0] };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attributes);
        return n;
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, object[] shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        foreach (var d in shape)
        {
            tensor.Shape.Dim.Add(d switch
            {
                int i => new TensorShapeProto.Types.Dimension { DimValue = i },
                string s => new TensorShapeProto.Types.Dimension { DimParam = s },
                _ => throw new ArgumentException($"shape entry {d} is neither int nor string"),
            });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}

/// <summary>A temporary directory removed after the test.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ev-inference-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
