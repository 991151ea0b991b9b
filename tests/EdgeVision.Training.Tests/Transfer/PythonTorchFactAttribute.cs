using System.Diagnostics;

namespace EdgeVision.Training.Tests.Transfer;

/// <summary>A fact that needs Debian's python3-torch and python3-torchvision in /usr/bin/python3; reported skipped (not passed) without them.</summary>
public sealed class PythonTorchFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";
    private static readonly Lazy<bool> Available = new(Probe);

    public PythonTorchFactAttribute()
    {
        if (!Available.Value) Skip = $"{Python} with torch and torchvision is not installed (apt-get install python3-torch python3-torchvision)";
    }

    private static bool Probe()
    {
        if (!File.Exists(Python)) return false;
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch, torchvision"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit(60_000);
            return process.HasExited && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
