using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Inference.Tests;

public sealed class OnnxRuntimeLibraryTests
{
    [Fact]
    public void Pointing_at_a_library_that_does_not_exist_fails_naming_the_path()
    {
        var e = Assert.Throws<FileNotFoundException>(() => OnnxRuntimeLibrary.Use("/nonexistent/libonnxruntime.so"));
        Assert.Contains("/nonexistent/libonnxruntime.so", e.Message);
        Assert.Null(OnnxRuntimeLibrary.ConfiguredPath);
    }

    [Fact]
    public void Switching_libraries_after_onnx_runtime_is_in_use_is_refused_with_the_reason()
    {
        _ = OrtEnv.Instance().GetVersionString();
        string packaged = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libonnxruntime.so");
        Assert.True(File.Exists(packaged), $"test setup: {packaged} is missing");
        var e = Assert.Throws<InvalidOperationException>(() => OnnxRuntimeLibrary.Use(packaged));
        Assert.Contains("already used", e.Message);
        Assert.Null(OnnxRuntimeLibrary.ConfiguredPath);
    }
}
