using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgeVision.Daemon.Tests.Host;

/// <summary>The real daemon as a child process (dotnet edgevisiond.dll …) with its output captured.</summary>
internal sealed partial class DaemonProcess : IDisposable
{
    public const int SigTerm = 15;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DaemonProcess(Process process) => _process = process;

    public static DaemonProcess Start(string contentRoot, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = contentRoot,
        };
        info.ArgumentList.Add(RepoPaths.DaemonDll);
        info.ArgumentList.Add("--contentRoot");
        info.ArgumentList.Add(contentRoot);
        foreach (string a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("DISPLAY");
        info.Environment.Remove("NOTIFY_SOCKET");
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = new Process { StartInfo = info };
        var daemon = new DaemonProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (daemon._output) daemon._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (daemon._output) daemon._output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; false on timeout or exit.</summary>
    public bool WaitForOutput(string text, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (Output.Contains(text, StringComparison.Ordinal)) return true;
            if (_process.HasExited) return Output.Contains(text, StringComparison.Ordinal);
            Thread.Sleep(50);
        }
        return false;
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return false;
        _process.WaitForExit(); // drains the redirected output
        return true;
    }

    /// <summary>
    /// Sends SIGTERM and asserts the process exits within 5 s (systemd's stop budget for the unit); returns how long
    /// it took. <paramref name="during"/> says what was going on, for the failure message.
    /// </summary>
    public TimeSpan TerminateWithinFiveSeconds(string during = "")
    {
        var stopwatch = Stopwatch.StartNew();
        Signal(SigTerm);
        Assert.True(WaitForExit(TimeSpan.FromSeconds(5)), $"no exit within 5 s of SIGTERM{during}\n" + Output);
        return stopwatch.Elapsed;
    }

    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }
}
