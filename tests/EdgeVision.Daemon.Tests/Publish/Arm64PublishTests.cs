using System.Diagnostics;
using EdgeVision.Daemon.Tests.Host;
using EdgeVision.Daemon.Tests.Http;
using EdgeVision.Inference;
using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Publish;

/// <summary>
/// docs/JETSON.md § 3: <c>dotnet publish src/EdgeVision.Daemon -c Release -r linux-arm64 --self-contained</c>
/// succeeds and holds what the doc says — an aarch64 app host, runtime and ONNX Runtime (CPU), the demo images,
/// and no libOpenCvSharpExtern.so (no package ships one for arm64: it is built on the device, § 1), and no x64
/// native file at all. The publish compiles every project for another RID (≈ 1–2.5 min here, docs/BENCHMARKS.md
/// "Build times"), so it runs alone, after the parallel tests; exclude it locally with --filter Category!=Publish.
/// </summary>
[Collection(MeasuringCollection.Name)]
[Trait("Category", "Publish")]
public sealed class Arm64PublishTests(ITestOutputHelper output) : IDisposable
{
    private readonly Scratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void The_linux_arm64_self_contained_publish_succeeds_with_aarch64_natives_and_no_OpenCvSharpExtern()
    {
        string publish = _scratch.File("publish");
        // The doc's command, with its output and intermediates in the scratch directory so the checkout's obj/ is untouched.
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "publish", "src/EdgeVision.Daemon", "-c", "Release", "-r", "linux-arm64", "--self-contained",
                     "--artifacts-path", _scratch.File("artifacts"), "-o", publish, "-nologo", "-nodeReuse:false", "-clp:ErrorsOnly" })
            info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), "dotnet publish did not finish in 10 minutes");
        output.WriteLine($"dotnet publish -r linux-arm64 --self-contained: exit {process.ExitCode} in {clock.Elapsed.TotalSeconds:0} s");
        Assert.True(process.ExitCode == 0, $"dotnet publish failed:\n{stdout.Result}\n{stderr.Result}");

        foreach (string file in new[] { "edgevisiond", "edgevisiond.dll", "appsettings.json", "libcoreclr.so", "libonnxruntime.so",
                     "libonnxruntime_providers_shared.so", "Microsoft.ML.OnnxRuntime.dll", "OpenCvSharp.dll" })
            Assert.True(File.Exists(Path.Combine(publish, file)), $"{file} is missing from the publish");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(publish, "models", "demo"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(publish, "libOpenCvSharpExtern.so", SearchOption.AllDirectories));
        // The daemon never loads libtorch (no arm64 package exists): nothing of TorchSharp may be in it.
        Assert.Empty(Directory.GetFiles(publish, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).Contains("torch", StringComparison.OrdinalIgnoreCase)));

        var natives = Directory.GetFiles(publish, "*.so", SearchOption.AllDirectories).Append(Path.Combine(publish, "edgevisiond")).ToList();
        var foreign = natives.Select(f => (File: Path.GetRelativePath(publish, f), Arch: ElfArchitecture.Read(f, out _))).Where(n => n.Arch != "arm64").ToList();
        Assert.True(foreign.Count == 0, "not aarch64: " + string.Join(", ", foreign.Select(n => $"{n.File} ({n.Arch ?? "not ELF"})")));
        output.WriteLine($"{natives.Count} native files, all aarch64");
    }
}
