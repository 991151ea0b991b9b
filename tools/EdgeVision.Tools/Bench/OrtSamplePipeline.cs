using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace EdgeVision.Tools.Bench;

/// <summary>
/// (b) ONNX Runtime fed the way its C# ResNet sample does it: resize, then a managed per-pixel loop that
/// normalizes into a new DenseTensor&lt;float&gt; NCHW every frame (multi-index setter included), Run with
/// NamedOnnxValue, and top-5 by sorting in managed code. The network is the unfused float reference.
/// The sample also applies softmax in C#; the reference graph already ends in Softmax, so that step is
/// not repeated here (it costs microseconds either way).
/// </summary>
public sealed class OrtSamplePipeline : IFramePipeline
{
    private readonly InferenceSession _session;
    private readonly BenchModel _model;

    public OrtSamplePipeline(BenchModel model, int threads)
    {
        _model = model;
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model.ReferenceBytes, options);
    }

    public string Name => "(b) ORT C# sample style";

    public void Process(Mat[] frames, int count)
    {
        var output = Infer(frames, count);
        int classes = _model.Classes;
        for (int i = 0; i < count; i++)
        {
            _ = output.Skip(i * classes).Take(classes)
                .Select((p, k) => (Probability: p, Index: k))
                .OrderByDescending(x => x.Probability)
                .Take(5)
                .ToList();
        }
    }

    public float[] Probabilities(Mat frame) => Infer([frame], 1);

    private float[] Infer(Mat[] frames, int count)
    {
        int h = _model.Height, w = _model.Width;
        var mean = _model.Metadata.Mean;
        var std = _model.Metadata.Std;
        var input = new DenseTensor<float>([count, 3, h, w]);
        for (int i = 0; i < count; i++)
        {
            using var resized = new Mat();
            Cv2.Resize(frames[i], resized, new Size(w, h), 0, 0, InterpolationFlags.Linear);
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    var bgr = resized.At<Vec3b>(y, x);
                    input[i, 0, y, x] = (bgr.Item2 / 255f - mean[0]) / std[0];
                    input[i, 1, y, x] = (bgr.Item1 / 255f - mean[1]) / std[1];
                    input[i, 2, y, x] = (bgr.Item0 / 255f - mean[2]) / std[2];
                }
            }
        }
        var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("input", input) };
        using var results = _session.Run(inputs);
        return results.First(r => r.Name == EdgeVision.Core.Model.ModelContract.ProbabilitiesName).AsEnumerable<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}
