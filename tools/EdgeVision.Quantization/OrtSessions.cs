using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Quantization;

/// <summary>CPU sessions for calibration, evaluation and measurement, configured like the daemon's CPU fallback.</summary>
internal static class OrtSessions
{
    public static InferenceSession Create(byte[] model, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL, int intraOpThreads = 0)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = level, IntraOpNumThreads = intraOpThreads };
        return new InferenceSession(model, options);
    }

    /// <summary>
    /// ONNX Runtime's provider-independent (basic) rewrites, saved as a model: BatchNormalization folded into
    /// the convolution before it, constants folded. Imported torchvision models quantize well only after this,
    /// because a convolution whose weight sits behind a DequantizeLinear can no longer absorb its BN.
    /// </summary>
    public static byte[] OptimizeBasic(byte[] model)
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgevision-prepared-{Environment.ProcessId}-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC, OptimizedModelFilePath = path })
            using (new InferenceSession(model, options))
            {
            }
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
