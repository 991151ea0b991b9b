namespace EdgeVision.Inference.Tests;

/// <summary>
/// A missing or foreign-architecture native library is one line naming the library, the paths searched and the
/// docs/JETSON.md section. The foreign library is real: the linux-arm64 libonnxruntime.so that the
/// Microsoft.ML.OnnxRuntime package (restored for this project) ships beside the x64 one.
/// </summary>
public sealed class NativeLibraryCheckTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string PackagedOnnxRuntime => Path.Combine(OrtBuildVariant.NativeDirectory, "libonnxruntime.so");

    private static string Arm64OnnxRuntime()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string package = Path.Combine(packages, "microsoft.ml.onnxruntime");
        string? arm64 = Directory.Exists(package)
            ? Directory.EnumerateFiles(package, "libonnxruntime.so", SearchOption.AllDirectories).FirstOrDefault(p => p.Contains("/linux-arm64/"))
            : null;
        Assert.True(arm64 is not null, $"test setup: no linux-arm64 libonnxruntime.so under {package}");
        return arm64!;
    }

    [Fact]
    public void The_packaged_libraries_of_this_build_pass()
    {
        NativeLibraryCheck.Verify(new InferenceOptions());
        Assert.Equal("x64", ElfArchitecture.Read(PackagedOnnxRuntime, out _));
    }

    [Fact]
    public void A_wrong_architecture_onnxruntime_is_one_line_naming_it_the_path_and_the_doc_section()
    {
        string arm64 = Arm64OnnxRuntime();
        Assert.Equal("arm64", ElfArchitecture.Read(arm64, out _));
        var e = Assert.Throws<NativeLibraryException>(() => NativeLibraryCheck.Verify(new InferenceOptions { NativeLibraryPath = arm64 }));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("native library libonnxruntime.so: ", e.Message);
        Assert.Contains($"{arm64} is built for arm64, this process is x64", e.Message);
        Assert.Contains("searched: " + Path.GetDirectoryName(arm64), e.Message);
        Assert.Contains("see docs/JETSON.md#2-onnx-runtime-with-cuda-and-tensorrt", e.Message);
    }

    [Fact]
    public void A_wrong_architecture_provider_library_next_to_onnxruntime_is_named()
    {
        // An ORT directory as a Jetson build leaves it, but with an arm64 CUDA provider on this x64 machine.
        File.CreateSymbolicLink(_dir.File("libonnxruntime.so"), PackagedOnnxRuntime);
        File.CreateSymbolicLink(_dir.File("libonnxruntime_providers_cuda.so"), Arm64OnnxRuntime());
        var e = Assert.Throws<NativeLibraryException>(() => NativeLibraryCheck.Verify(new InferenceOptions { NativeLibraryPath = _dir.File("libonnxruntime.so") }));
        Assert.Equal("libonnxruntime_providers_cuda.so", e.Library);
        Assert.Contains("built for arm64", e.Message);
        Assert.Contains(_dir.File("libonnxruntime_providers_cuda.so"), e.Message);
    }

    [Fact]
    public void A_missing_OpenCvSharpExtern_is_not_found_with_the_directories_searched_and_the_build_section()
    {
        // Without the system search: in this test process other tests have loaded OpenCvSharpExtern already, and the
        // loader answers a bare name with the library it holds (the daemon checks before anything loads it).
        var e = Assert.Throws<NativeLibraryException>(() =>
            NativeLibraryCheck.Require("libOpenCvSharpExtern.so", [_dir.Path], NativeLibraryCheck.OpenCvSection, searchSystem: false));
        Assert.Equal($"native library libOpenCvSharpExtern.so: not found (searched: {_dir.Path}); see docs/JETSON.md#1-opencvsharpextern", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_shared_library_is_named_as_such()
    {
        File.WriteAllText(_dir.File("libOpenCvSharpExtern.so"), "version https://git-lfs.github.com/spec/v1\n");
        var e = Assert.Throws<NativeLibraryException>(() =>
            NativeLibraryCheck.Require("libOpenCvSharpExtern.so", [_dir.Path], NativeLibraryCheck.OpenCvSection, searchSystem: false));
        Assert.Contains("is not a shared library (no ELF magic number)", e.Message);
    }
}
