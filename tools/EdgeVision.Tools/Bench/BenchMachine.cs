using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace EdgeVision.Tools.Bench;

/// <summary>What the numbers were measured on, as the table's header says it.</summary>
public sealed record BenchMachine(string Cpu, int LogicalCores, string MemoryGiB, string Os, string Dotnet, string OnnxRuntime, string OpenCv, string CpuFlags, string LoadAverage)
{
    public static BenchMachine Describe()
    {
        string cpu = "unknown", flags = "";
        if (File.Exists("/proc/cpuinfo"))
        {
            var lines = File.ReadAllLines("/proc/cpuinfo");
            cpu = Value(lines, "model name") ?? cpu;
            var f = (Value(lines, "flags") ?? "").Split(' ');
            flags = string.Join(' ', new[] { "avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile" }.Where(f.Contains));
        }
        string memory = "unknown";
        if (File.Exists("/proc/meminfo") && Value(File.ReadAllLines("/proc/meminfo"), "MemTotal") is { } mem
            && long.TryParse(mem.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], out long kb))
        {
            memory = (kb / 1024.0 / 1024.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        }
        string os = RuntimeInformation.OSDescription;
        if (File.Exists("/etc/os-release"))
        {
            var pretty = File.ReadAllLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            if (pretty is not null) os = pretty["PRETTY_NAME=".Length..].Trim('"') + $" ({RuntimeInformation.OSArchitecture})";
        }
        // The 1-minute load lags; what other processes did during the run is measured by CpuContention.
        string load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
        return new BenchMachine(cpu, Environment.ProcessorCount, memory, os, RuntimeInformation.FrameworkDescription,
            OrtEnv.Instance().GetVersionString(), Cv2.GetVersionString() ?? "unknown", flags, load);
    }

    private static string? Value(string[] lines, string key) =>
        lines.Where(l => l.StartsWith(key, StringComparison.Ordinal) && l.Contains(':'))
             .Select(l => l[(l.IndexOf(':') + 1)..].Trim())
             .FirstOrDefault();
}
