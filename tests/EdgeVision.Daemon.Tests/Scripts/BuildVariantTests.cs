using System.Diagnostics;
using System.Text.Json;
using EdgeVision.Daemon.Tests.Host;

namespace EdgeVision.Daemon.Tests.Scripts;

/// <summary>
/// The build variants as MSBuild evaluates them (no restore, no 540 MB download): the GPU variant takes the GPU
/// native package and the managed one at the same pinned version, and never touches libtorch; CUDA libtorch is
/// its own switch. scripts/build-gpu.sh checks the restored graph on top of this.
/// </summary>
public sealed class BuildVariantTests
{
    [Fact]
    public void The_GPU_variant_pins_one_ONNX_Runtime_version_for_the_native_and_the_managed_package()
    {
        var (references, versions) = Evaluate("src/EdgeVision.Inference/EdgeVision.Inference.csproj", "-p:EdgeVisionGpu=true");
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu.Linux", references);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Managed", references);
        Assert.DoesNotContain("Microsoft.ML.OnnxRuntime", references);
        Assert.Equal(versions["Microsoft.ML.OnnxRuntime.Gpu.Linux"], versions["Microsoft.ML.OnnxRuntime.Managed"]);
    }

    [Fact]
    public void The_CPU_variant_takes_the_CPU_package_at_the_managed_package_s_version()
    {
        var (references, versions) = Evaluate("src/EdgeVision.Inference/EdgeVision.Inference.csproj");
        Assert.Contains("Microsoft.ML.OnnxRuntime", references);
        Assert.DoesNotContain("Microsoft.ML.OnnxRuntime.Gpu.Linux", references);
        Assert.Equal(versions["Microsoft.ML.OnnxRuntime"], versions["Microsoft.ML.OnnxRuntime.Managed"]);
    }

    [Theory]
    [InlineData("-p:EdgeVisionGpu=true", "libtorch-cpu-linux-x64")]
    [InlineData("-p:EdgeVisionTorchCuda=true", "libtorch-cuda-12.8-linux-x64")]
    public void Only_EdgeVisionTorchCuda_switches_the_training_libtorch_to_CUDA(string property, string expected)
    {
        var (references, _) = Evaluate("tools/EdgeVision.Training/EdgeVision.Training.csproj", property);
        Assert.Equal([expected], references.Where(r => r.StartsWith("libtorch", StringComparison.Ordinal)));
    }

    private static (List<string> References, Dictionary<string, string> Versions) Evaluate(string project, params string[] properties)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "msbuild", project, "-getItem:PackageReference", "-getItem:PackageVersion", "-nodeReuse:false" }.Concat(properties))
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string json = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "dotnet msbuild did not finish");
        Assert.True(process.ExitCode == 0, $"dotnet msbuild {project} failed: {json}{stderr.Result}");
        var items = JsonDocument.Parse(json).RootElement.GetProperty("Items");
        var references = items.GetProperty("PackageReference").EnumerateArray().Select(i => i.GetProperty("Identity").GetString()!).ToList();
        var versions = items.GetProperty("PackageVersion").EnumerateArray()
            .ToDictionary(i => i.GetProperty("Identity").GetString()!, i => i.GetProperty("Version").GetString()!);
        return (references, versions);
    }
}
