namespace EdgeVision.Daemon.Tests.Host;

/// <summary>
/// The real daemon pointed at a foreign-architecture onnxruntime (the linux-arm64 build the Microsoft.ML.OnnxRuntime
/// package ships, as a Jetson user might copy the wrong one): exit 4 and one line, not a TypeInitializationException.
/// </summary>
public sealed class NativeLibraryStartupTests
{
    [Fact]
    public void A_wrong_architecture_onnxruntime_stops_start_up_with_one_line_naming_it_and_the_doc_section()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string? arm64 = Directory.EnumerateFiles(Path.Combine(packages, "microsoft.ml.onnxruntime"), "libonnxruntime.so", SearchOption.AllDirectories)
            .FirstOrDefault(p => p.Contains("/linux-arm64/"));
        Assert.True(arm64 is not null, "test setup: the Microsoft.ML.OnnxRuntime package's linux-arm64 library is not in " + packages);

        using var scratch = new Scratch();
        using var daemon = DaemonProcess.Start(scratch.Path,
            ["--Model:Path=" + TestModels.Tiny(scratch.Path), "--Http:Port=0", "--Capture:Sources:0:Kind=Demo", "--Inference:NativeLibraryPath=" + arm64]);
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(60)), "the daemon did not exit");

        Assert.Equal(4, daemon.ExitCode);
        string[] lines = daemon.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string line = Assert.Single(lines);
        Assert.Equal($"edgevisiond: native library libonnxruntime.so: {arm64} is built for arm64, this process is x64 " +
            $"(searched: {Path.GetDirectoryName(arm64)} (Inference:NativeLibraryPath)); see docs/JETSON.md#2-onnx-runtime-with-cuda-and-tensorrt", line);
    }
}
