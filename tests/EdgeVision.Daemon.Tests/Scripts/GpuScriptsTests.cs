using System.Diagnostics;
using System.Security.Cryptography;
using EdgeVision.Daemon.Tests.Host;

namespace EdgeVision.Daemon.Tests.Scripts;

/// <summary>
/// scripts/build-gpu.sh and scripts/gpu-check.sh cannot do their work without a GPU (and the 540 MB GPU package);
/// here they must parse, and gpu-check.sh must stop at once with "no GPU", exit 3, having written nothing.
/// </summary>
public sealed class GpuScriptsTests
{
    private static readonly bool MachineHasNvidiaGpu = File.Exists("/dev/nvidia0") || File.Exists("/dev/nvhost-ctrl-gpu");

    [Theory]
    [InlineData("scripts/build-gpu.sh")]
    [InlineData("scripts/gpu-check.sh")]
    public void The_script_parses(string script)
    {
        var (code, output) = Bash("-n", script);
        Assert.True(code == 0, $"bash -n {script}: {output}");
    }

    [NoGpuFact]
    public void Gpu_check_without_a_GPU_exits_3_saying_no_GPU_and_leaves_the_benchmarks_alone()
    {
        string docs = Path.Combine(RepoPaths.Root, "docs", "BENCHMARKS.md");
        byte[] before = SHA256.HashData(File.ReadAllBytes(docs));
        using var scratch = new Scratch();
        string artifacts = scratch.File("gpu-artifacts");

        var (code, output) = Bash(new Dictionary<string, string> { ["EDGEVISION_GPU_ARTIFACTS"] = artifacts }, "scripts/gpu-check.sh");

        Assert.Equal(3, code);
        Assert.StartsWith("gpu-check: no GPU: ", output.Trim());
        Assert.Single(output.Trim().Split('\n'));
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(docs)));
        Assert.False(Directory.Exists(artifacts), "it stops before building anything");
    }

    private static (int Code, string Output) Bash(params string[] args) => Bash(new Dictionary<string, string>(), args);

    private static (int Code, string Output) Bash(Dictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "bash " + string.Join(' ', args) + " did not finish");
        return (process.ExitCode, stdout.Result + stderr);
    }

    /// <summary>The no-GPU path can only be shown where there is no GPU; with one, gpu-check.sh would run for real.</summary>
    private sealed class NoGpuFactAttribute : FactAttribute
    {
        public NoGpuFactAttribute()
        {
            if (MachineHasNvidiaGpu) Skip = "this machine has an NVIDIA GPU: gpu-check.sh would measure it (run it by hand)";
        }
    }
}
