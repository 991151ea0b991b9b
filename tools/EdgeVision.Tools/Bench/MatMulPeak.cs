using EdgeVision.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Tools.Bench;

/// <summary>
/// The machine's practical fp32 peak: ONNX Runtime's own GEMM (MLAS) on one large square MatMul at the
/// same thread count as the networks. A convolution network cannot beat the GEMM it is built on, so the
/// networks' FLOP/s are reported as a fraction of this.
/// </summary>
public static class MatMulPeak
{
    public sealed record Result(int Size, double MedianGflops, double BestGflops);

    public static Result Measure(BenchSettings s, CancellationToken ct)
    {
        int n = s.MatMulSize;
        using var options = new SessionOptions
        {
            IntraOpNumThreads = s.Threads,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        using var session = new InferenceSession(Model(n).ToByteArray(), options);
        var rng = new Random(1);
        var a = new float[n * n];
        var b = new float[n * n];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)rng.NextDouble() - 0.5f;
            b[i] = (float)rng.NextDouble() - 0.5f;
        }
        var c = new float[n * n];
        using var va = OrtValue.CreateTensorValueFromMemory(a, [n, n]);
        using var vb = OrtValue.CreateTensorValueFromMemory(b, [n, n]);
        using var vc = OrtValue.CreateTensorValueFromMemory(c, [n, n]);
        using var binding = session.CreateIoBinding();
        binding.BindInput("A", va);
        binding.BindInput("B", vb);
        binding.BindOutput("C", vc);
        using var run = new RunOptions();

        // Timed per repetition so the median is over MatMulRepetitions samples.
        var settings = s with { Runs = s.MatMulRepetitions, RunSeconds = 0 };
        var t = BenchTimer.Measure(() => session.RunWithBinding(run, binding), 1, settings, ct);
        double flops = 2.0 * n * n * n;
        return new Result(n, flops / t.MedianSeconds / 1e9, flops / t.BestSeconds / 1e9);
    }

    private static ModelProto Model(int n)
    {
        var g = new GraphProto { Name = "matmul_peak" };
        g.Input.Add(Matrix("A", n));
        g.Input.Add(Matrix("B", n));
        g.Output.Add(Matrix("C", n));
        var node = new NodeProto { OpType = "MatMul", Name = "matmul" };
        node.Input.Add("A");
        node.Input.Add("B");
        node.Output.Add("C");
        g.Node.Add(node);
        var model = new ModelProto { IrVersion = 8, ProducerName = "edgevision bench", Graph = g };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model;
    }

    private static ValueInfoProto Matrix(string name, int n)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = n });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = n });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
