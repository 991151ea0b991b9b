using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Inference;

/// <summary>
/// Why an execution provider could not be used, in words a person can act on. ORT prefixes its messages with the
/// source location ("[ErrorCode:Fail] /onnxruntime_src/…provider_bridge_ort.cc:2043 onnxruntime::Provider&amp; … FAIL : ");
/// what follows is the reason ("Failed to load library …/libonnxruntime_providers_cuda.so with error: libcublasLt.so.13:
/// cannot open shared object file").
/// </summary>
public static partial class ProviderFailure
{
    public static string Describe(Exception e)
    {
        if (e is OnnxRuntimeException)
        {
            var match = OrtReason().Match(e.Message);
            return match.Success ? match.Groups["reason"].Value.Trim() : e.Message.Trim();
        }
        // EntryPointNotFoundException: this ONNX Runtime build has no such provider (the CPU package).
        return $"{e.GetType().Name}: {e.Message}";
    }

    [GeneratedRegex(@"\[ONNXRuntimeError\]\s*:\s*\d+\s*:\s*\w+\s*:\s*(?<reason>.*)", RegexOptions.Singleline)]
    private static partial Regex OrtReason();
}
