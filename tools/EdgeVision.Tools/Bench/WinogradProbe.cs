using System.Globalization;
using System.Text;
using EdgeVision.Onnx;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;
using static EdgeVision.Onnx.Graph.OnnxAttributes;
using DataType = EdgeVision.Onnx.Proto.TensorProto.Types.DataType;

namespace EdgeVision.Tools.Bench;

/// <summary>
/// Can a 3×3 convolution get cheaper than ONNX Runtime's direct kernel by doing fewer multiplications?
/// ORT's CPU provider has no Winograd kernel (OpenCV DNN runs F(6,3) for its 3×3 convolutions), so the only
/// way to use one through ORT is to spell it as a graph: Winograd F(2,3) — 2×2 outputs per 4×4 input tile,
/// 16 multiplications instead of 36 — as a grouped 4×4/2 convolution (input transform), a batched MatMul
/// per tile position (the 2.25× fewer multiply-adds) and a MatMul plus transpose (output transform).
/// This builds that graph with the exact transforms, checks it against the direct convolution and times both.
/// </summary>
public static class WinogradProbe
{
    public const string Heading = "## Convolution algorithms: direct (ORT) vs Winograd F(2,3) as an ONNX graph";

    public sealed record Shape(int Channels, int Size);

    public sealed record Result(Shape Shape, int Batch, double DirectMs, double WinogradMs, double MaxAbsDiff, double MaxAbs)
    {
        public double DirectGflops => 2.0 * Batch * Shape.Channels * Shape.Channels * 9 * Shape.Size * Shape.Size / (DirectMs * 1e6);
    }

    /// <summary>The stride-1 3×3 layers of ResNet-18 at 224² (C, H) and of CIFAR ResNet-20 at 32².</summary>
    public static IReadOnlyList<Shape> ResNetShapes { get; } =
        [new(64, 56), new(128, 28), new(256, 14), new(512, 7), new(16, 32), new(32, 16), new(64, 8)];

    // F(2,3) (Lavin & Gray): Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A.
    private static readonly float[,] Bt = { { 1, 0, -1, 0 }, { 0, 1, 1, 0 }, { 0, -1, 1, 0 }, { 0, 1, 0, -1 } };
    private static readonly float[,] G = { { 1, 0, 0 }, { 0.5f, 0.5f, 0.5f }, { 0.5f, -0.5f, 0.5f }, { 0, 0, 1 } };
    private static readonly float[,] At = { { 1, 1, 1, 0 }, { 0, 1, -1, -1 } };

    public static Result Measure(Shape shape, int batch, int threads, double seconds, CancellationToken cancellationToken = default, int seed = 7)
    {
        var rng = new Random(seed);
        float[] weights = Random(rng, (long)shape.Channels * shape.Channels * 9, 1 / MathF.Sqrt(9 * shape.Channels));
        float[] bias = Random(rng, shape.Channels, 0.1f);
        float[] input = Random(rng, (long)batch * shape.Channels * shape.Size * shape.Size, 1);
        byte[] direct = OnnxModelFile.ToBytes(Direct(shape, batch, weights, bias));
        byte[] winograd = OnnxModelFile.ToBytes(Winograd(shape, batch, weights, bias));
        long[] dims = [batch, shape.Channels, shape.Size, shape.Size];
        using var directLayer = new BoundLayer(direct, input, dims, threads);
        using var winogradLayer = new BoundLayer(winograd, input, dims, threads);
        // Best of five runs, the two algorithms in turn (BenchTimer), so a slow phase of the machine hits both.
        var times = BenchTimer.MeasureInterleaved([directLayer.Run, winogradLayer.Run], 1,
            new BenchTimer.Plan(Runs: 5, RunSeconds: seconds / 5, WarmUpIterations: 5), cancellationToken);
        double directMs = times[0].BestSeconds * 1e3, winogradMs = times[1].BestSeconds * 1e3;
        float[] y0 = directLayer.Output, y1 = winogradLayer.Output;
        double diff = 0, max = 0;
        for (int i = 0; i < y0.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs(y0[i] - y1[i]));
            max = Math.Max(max, Math.Abs(y0[i]));
        }
        return new Result(shape, batch, directMs, winogradMs, diff, max);
    }

    /// <summary>Conv 3×3 pad 1 + bias + ReLU, as the ResNet emitters write it (BN folded).</summary>
    public static ModelProto Direct(Shape s, int batch, float[] weights, float[] bias)
    {
        var g = new GraphBuilder("direct_conv3x3");
        string x = g.AddInput("x", DataType.Float, batch, s.Channels, s.Size, s.Size);
        string w = g.AddInitializer("w", weights, s.Channels, s.Channels, 3, 3);
        string b = g.AddInitializer("b", bias, s.Channels);
        string y = g.AddNode("Conv", [x, w, b], "conv", Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1));
        y = g.AddNode("Relu", [y], "y");
        g.AddOutput(y, DataType.Float, batch, s.Channels, s.Size, s.Size);
        return g.ToModel();
    }

    /// <summary>The same layer as Winograd F(2,3) in standard ONNX operators.</summary>
    public static ModelProto Winograd(Shape s, int batch, float[] weights, float[] bias)
    {
        int c = s.Channels, k = s.Channels, h = s.Size, tiles = (h + 1) / 2, padded = 2 * tiles + 2;
        var g = new GraphBuilder("winograd_f23_conv3x3");
        string x = g.AddInput("x", DataType.Float, batch, c, h, h);
        // Zero padding 1 on the top/left, enough on the bottom/right for whole 4×4 tiles at stride 2.
        string pads = g.AddInitializer("pads", new long[] { 0, 0, 1, 1, 0, 0, padded - h - 1, padded - h - 1 }, 8);
        string v = g.AddNode("Pad", [x, pads], "padded");
        // Input transform Bᵀ d B per channel: 16 fixed 4×4 kernels per channel, grouped, stride 2.
        var inputKernels = new float[c * 16 * 16];
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                    for (int a = 0; a < 4; a++)
                        for (int bb = 0; bb < 4; bb++)
                            inputKernels[((ch * 16) + i * 4 + j) * 16 + a * 4 + bb] = Bt[i, a] * Bt[j, bb];
        v = g.AddNode("Conv", [v, g.AddInitializer("input_transform", inputKernels, c * 16, 1, 4, 4)], "v",
            Ints("kernel_shape", 4, 4), Ints("strides", 2, 2), Int("group", c));
        v = Reshape(g, v, batch, c, 16, tiles * tiles);
        v = g.AddNode("Transpose", [v], "v_by_position", Ints("perm", 2, 0, 3, 1));
        v = Reshape(g, v, 16, batch * tiles * tiles, c);
        // Filter transform G g Gᵀ, done once here: U[position, c, k].
        var u = new float[16 * c * k];
        for (int ko = 0; ko < k; ko++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < 4; i++)
                    for (int j = 0; j < 4; j++)
                    {
                        float sum = 0;
                        for (int a = 0; a < 3; a++)
                            for (int bb = 0; bb < 3; bb++)
                                sum += G[i, a] * weights[((ko * c + ch) * 3 + a) * 3 + bb] * G[j, bb];
                        u[((i * 4 + j) * c + ch) * k + ko] = sum;
                    }
        string m = g.AddNode("MatMul", [v, g.AddInitializer("filter_transform", u, 16, c, k)], "m");
        // Output transform Aᵀ M A: a [4,16] matrix over the tile positions, then the 2×2 blocks back into place.
        var outputTransform = new float[4 * 16];
        for (int p = 0; p < 2; p++)
            for (int q = 0; q < 2; q++)
                for (int i = 0; i < 4; i++)
                    for (int j = 0; j < 4; j++)
                        outputTransform[(p * 2 + q) * 16 + i * 4 + j] = At[p, i] * At[q, j];
        m = Reshape(g, m, 16, (long)batch * tiles * tiles * k);
        string y = g.AddNode("MatMul", [g.AddInitializer("output_transform", outputTransform, 4, 16), m], "y_blocks");
        y = Reshape(g, y, 2, 2, batch, tiles, tiles, k);
        y = g.AddNode("Transpose", [y], "y_nkhw", Ints("perm", 2, 5, 3, 0, 4, 1));
        y = Reshape(g, y, batch, k, 2 * tiles, 2 * tiles);
        if (2 * tiles != h)
        {
            y = g.AddNode("Slice", [y, g.AddInitializer("starts", new long[] { 0, 0 }, 2), g.AddInitializer("ends", new long[] { h, h }, 2),
                g.AddInitializer("axes", new long[] { 2, 3 }, 2)], "y_cropped");
        }
        y = g.AddNode("Add", [y, g.AddInitializer("bias", bias, 1, k, 1, 1)], "y_biased");
        y = g.AddNode("Relu", [y], "y");
        g.AddOutput(y, DataType.Float, batch, k, h, h);
        return g.ToModel();
    }

    public static string Markdown(IReadOnlyList<Result> results, int threads, string command)
    {
        var machine = BenchMachine.Describe();
        var sb = new StringBuilder();
        sb.AppendLine(Heading).AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{command}`");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; CPU: {machine.Cpu}, {machine.LogicalCores} logical cores; ONNX Runtime {machine.OnnxRuntime}, {threads} intra-op threads");
        sb.AppendLine("- One 3×3 stride-1 convolution + bias + ReLU, batch as shown, C→C channels, best of 5 timed rounds; the Winograd graph is checked against the direct one (max |Δ| over the outputs).");
        sb.AppendLine();
        sb.AppendLine("| C | H×W | batch | direct ms | direct GFLOP/s | Winograd F(2,3) graph ms | Winograd / direct speed | max abs diff (of max abs) |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Shape.Channels} | {r.Shape.Size}×{r.Shape.Size} | {r.Batch} | {r.DirectMs:0.000} | {r.DirectGflops:0} | {r.WinogradMs:0.000} | {r.DirectMs / r.WinogradMs:0.00}× | {r.MaxAbsDiff:0.0e0} ({r.MaxAbs:0.0}) |");
        }
        sb.AppendLine();
        sb.AppendLine("Below 1.00× the graph is slower: its transforms and layout changes move more memory than the saved multiply-adds cost, so on ONNX Runtime's CPU provider the direct kernel stays the engine's convolution.");
        return sb.ToString();
    }

    private static string Reshape(GraphBuilder g, string value, params long[] shape) =>
        g.AddNode("Reshape", [value, g.AddInitializer("shape", shape, shape.Length)], value + "_r");

    /// <summary>One layer graph loaded with its input and output bound, ready to run again and again.</summary>
    private sealed class BoundLayer : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly OrtValue _x, _y;
        private readonly OrtIoBinding _binding;
        private readonly RunOptions _run = new();

        public BoundLayer(byte[] model, float[] input, long[] dims, int threads)
        {
            using var options = new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            _session = new InferenceSession(model, options);
            Output = new float[input.Length];
            _x = OrtValue.CreateTensorValueFromMemory(input, dims);
            _y = OrtValue.CreateTensorValueFromMemory(Output, dims);
            _binding = _session.CreateIoBinding();
            _binding.BindInput("x", _x);
            _binding.BindOutput(_session.OutputNames[0], _y);
        }

        public float[] Output { get; }

        public void Run() => _session.RunWithBinding(_run, _binding);

        public void Dispose()
        {
            _binding.Dispose();
            _run.Dispose();
            _y.Dispose();
            _x.Dispose();
            _session.Dispose();
        }
    }

    private static float[] Random(Random rng, long n, float scale)
    {
        var a = new float[n];
        for (long i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return a;
    }
}
