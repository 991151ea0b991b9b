using EdgeVision.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Tools.Bench;

/// <summary>
/// The machine's practical fp32 peak: ONNX Runtime's own GEMM (MLAS) on one large square MatMul at the
/// same thread count as the networks; the networks' FLOP/s are reported as a fraction of it. (ORT's NCHWc
/// direct-convolution kernels can exceed its SGEMM, so a ResNet may show more than 100 %.) B is a constant initializer, as convolution weights
/// are: ORT packs it once at session creation, whereas a B bound as an input would be re-packed on every run
/// and understate the peak (networks then appeared to exceed it).
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
        var rng = new Random(1);
        var a = new float[n * n];
        var b = new float[n * n];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)rng.NextDouble() - 0.5f;
            b[i] = (float)rng.NextDouble() - 0.5f;
        }
        using var session = new InferenceSession(Model(n, b).ToByteArray(), options);
        var c = new float[n * n];
        using var va = OrtValue.CreateTensorValueFromMemory(a, [n, n]);
        using var vc = OrtValue.CreateTensorValueFromMemory(c, [n, n]);
        using var binding = session.CreateIoBinding();
        binding.BindInput("A", va);
        binding.BindOutput("C", vc);
        using var run = new RunOptions();

        // Timed per repetition so the median is over MatMulRepetitions samples.
        var plan = new BenchTimer.Plan(s.MatMulRepetitions, RunSeconds: 0, s.WarmUpIterations);
        var t = BenchTimer.Measure(() => session.RunWithBinding(run, binding), 1, plan, ct);
        double flops = 2.0 * n * n * n;
        return new Result(n, flops / t.MedianSeconds / 1e9, flops / t.BestSeconds / 1e9);
    }

    private static ModelProto Model(int n, float[] b)
    {
        var g = new GraphProto { Name = "matmul_peak" };
        g.Input.Add(Matrix("A", n));
        g.Output.Add(Matrix("C", n));
        var weights = new TensorProto { Name = "B", DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b.AsSpan())) };
        weights.Dims.Add(n);
        weights.Dims.Add(n);
        g.Initializer.Add(weights);
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
