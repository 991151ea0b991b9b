namespace EdgeVision.Inference.Tests;

/// <summary>
/// Which ONNX Runtime native build this test assembly was built with, read from the files next to it:
/// the GPU package (-p:EdgeVisionGpu=true, scripts/build-gpu.sh) ships the CUDA and TensorRT provider libraries.
/// </summary>
public static class OrtBuildVariant
{
    public static string NativeDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");

    public static string CudaProviderLibrary { get; } = Path.Combine(NativeDirectory, "libonnxruntime_providers_cuda.so");

    public static string TensorRtProviderLibrary { get; } = Path.Combine(NativeDirectory, "libonnxruntime_providers_tensorrt.so");

    public static bool IsGpuBuild { get; } = File.Exists(CudaProviderLibrary) && File.Exists(TensorRtProviderLibrary);

    /// <summary>An NVIDIA device node: a discrete GPU (/dev/nvidia0) or a Jetson's integrated one (/dev/nvhost-ctrl-gpu).</summary>
    public static bool MachineHasNvidiaGpu { get; } = File.Exists("/dev/nvidia0") || File.Exists("/dev/nvhost-ctrl-gpu");
}

/// <summary>A fact that runs only in the GPU build (scripts/build-gpu.sh); the CPU build reports it skipped.</summary>
public sealed class GpuBuildFactAttribute : FactAttribute
{
    public GpuBuildFactAttribute()
    {
        if (!OrtBuildVariant.IsGpuBuild)
            Skip = $"CPU build of ONNX Runtime ({OrtBuildVariant.CudaProviderLibrary} absent); run scripts/build-gpu.sh";
    }
}
