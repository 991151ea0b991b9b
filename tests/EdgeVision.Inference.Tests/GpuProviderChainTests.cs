using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace EdgeVision.Inference.Tests;

/// <summary>
/// The provider chain against the GPU build of ONNX Runtime (scripts/build-gpu.sh builds this project with
/// -p:EdgeVisionGpu=true). With a GPU, TensorRT or CUDA must serve; without one both must be tried and fail
/// with a reason a person can act on (the library that could not be loaded), and CPU must serve.
/// </summary>
public sealed class GpuProviderChainTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [GpuBuildFact]
    public void The_GPU_build_offers_TensorRT_and_CUDA()
    {
        var available = OrtEnv.Instance().GetAvailableProviders();
        Assert.Contains("TensorrtExecutionProvider", available);
        Assert.Contains("CUDAExecutionProvider", available);
    }

    [GpuBuildFact]
    public void The_default_chain_tries_TensorRT_then_CUDA_and_a_GPU_serves_or_each_fails_naming_what_is_missing()
    {
        using var c = Classifier.Load(new TinyContractModel().Save(_dir.Path), new InferenceOptions { IntraOpThreads = 1 });
        var attempts = c.ProviderAttempts;
        foreach (var a in attempts) output.WriteLine($"{a.Provider}: {(a.Succeeded ? "selected" : a.Reason)}");
        Assert.Equal("TensorRT", attempts[0].Provider);

        if (OrtBuildVariant.MachineHasNvidiaGpu)
        {
            Assert.Contains(c.Provider, new[] { "TensorRT", "CUDA" });
            return;
        }

        Assert.Equal(["TensorRT", "CUDA", "CPU"], attempts.Select(a => a.Provider));
        Assert.Equal("CPU", c.Provider);
        // Not an EntryPointNotFoundException (a CPU build): the provider library itself was found and failed to load.
        Assert.Contains("libonnxruntime_providers_tensorrt.so", attempts[0].Reason);
        Assert.Contains("libonnxruntime_providers_cuda.so", attempts[1].Reason);
        Assert.All(attempts.Take(2), a => Assert.DoesNotContain("EntryPointNotFound", a.Reason));
        // The classifier still runs on CPU: probabilities of the one slot sum to 1.
        Assert.Equal(1f, c.Run(1).ToArray().Sum(), 3);
    }
}
