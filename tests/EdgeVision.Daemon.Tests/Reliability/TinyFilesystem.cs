using System.Diagnostics;

namespace EdgeVision.Daemon.Tests.Reliability;

/// <summary>
/// A 1 MB tmpfs mounted for one test (needs root or CAP_SYS_ADMIN; <see cref="TryMount"/> says why not), filled
/// to the last byte on request, unmounted on dispose.
/// </summary>
internal sealed class TinyFilesystem : IDisposable
{
    private TinyFilesystem(string path) => Path = path;

    public string Path { get; }

    public static TinyFilesystem? TryMount(string path, out string? whyNot)
    {
        Directory.CreateDirectory(path);
        var (code, text) = Run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", path);
        whyNot = code == 0 ? null : $"cannot mount a 1 MB tmpfs (needs root): {text.Trim()}";
        return code == 0 ? new TinyFilesystem(path) : null;
    }

    /// <summary>Writes a filler file until the filesystem refuses another byte.</summary>
    public void Fill()
    {
        using var filler = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.Create);
        var block = new byte[4096];
        try
        {
            while (true) filler.Write(block);
        }
        catch (IOException) { }
        try { filler.Flush(); } catch (IOException) { }
    }

    public void Dispose()
    {
        if (Run("umount", Path).Code != 0) Run("umount", "-l", Path);
    }

    private static (int Code, string Output) Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) info.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(info)!;
            string text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, text);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
