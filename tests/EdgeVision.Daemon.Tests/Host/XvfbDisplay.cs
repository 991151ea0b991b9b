using System.Diagnostics;

namespace EdgeVision.Daemon.Tests.Host;

/// <summary>A private X server (Debian's Xvfb) for the window tests, on a display number nobody else uses.</summary>
internal sealed class XvfbDisplay : IDisposable
{
    private readonly Process _process;

    private XvfbDisplay(Process process, string display)
    {
        _process = process;
        Display = display;
    }

    public string Display { get; }

    /// <summary>Null when Xvfb is not installed.</summary>
    public static XvfbDisplay? TryStart()
    {
        if (RepoPaths.Which("Xvfb") is not { } xvfb) return null;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int number = Random.Shared.Next(200, 900);
            if (File.Exists($"/tmp/.X{number}-lock")) continue;
            var info = new ProcessStartInfo(xvfb) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string a in new[] { $":{number}", "-screen", "0", "1024x768x24", "-nolisten", "tcp" }) info.ArgumentList.Add(a);
            var p = Process.Start(info)!;
            p.BeginErrorReadLine();
            p.BeginOutputReadLine();
            if (SpinWait.SpinUntil(() => File.Exists($"/tmp/.X11-unix/X{number}") || p.HasExited, TimeSpan.FromSeconds(10)) && !p.HasExited)
                return new XvfbDisplay(p, $":{number}");
            p.Dispose();
        }
        throw new InvalidOperationException("Xvfb did not start on any display");
    }

    /// <summary>Runs an X client (xdotool, xwininfo) against this display; returns exit code and stdout.</summary>
    public (int Code, string Output) Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) info.ArgumentList.Add(a);
        info.Environment["DISPLAY"] = Display;
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }

    public void Dispose()
    {
        try { _process.Kill(); } catch (InvalidOperationException) { }
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
