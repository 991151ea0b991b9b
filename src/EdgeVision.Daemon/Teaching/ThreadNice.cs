using System.Runtime.InteropServices;

namespace EdgeVision.Daemon.Teaching;

/// <summary>
/// Lowers the calling thread's scheduling priority (Linux nice is per thread, and threads it creates afterwards —
/// ONNX Runtime's intra-op pool — inherit it). .NET's Thread.Priority does nothing on Linux, hence setpriority(2).
/// An unprivileged process can always lower its priority, never raise it back: only threads that do nothing but
/// the low-priority work may call this.
/// </summary>
internal static partial class ThreadNice
{
    private const int PrioProcess = 0;
    private const long SysGettid = 186; // x86_64; aarch64 is 178

    /// <summary>Sets this thread's nice value; false (with errno) where the platform refuses or is not Linux.</summary>
    public static bool TrySet(int nice, out int error)
    {
        error = 0;
        if (!OperatingSystem.IsLinux()) return false;
        long tid = syscall(RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 178 : SysGettid);
        if (setpriority(PrioProcess, (uint)tid, nice) == 0) return true;
        error = Marshal.GetLastPInvokeError();
        return false;
    }

    /// <summary>This thread's nice value (getpriority), or null where unknown.</summary>
    public static int? Get()
    {
        if (!OperatingSystem.IsLinux()) return null;
        long tid = syscall(RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 178 : SysGettid);
        Marshal.SetLastPInvokeError(0);
        int value = getpriority(PrioProcess, (uint)tid);
        return value == -1 && Marshal.GetLastPInvokeError() != 0 ? null : value;
    }

    /// <summary>
    /// CPU seconds this thread has used (user + system, /proc/thread-self/stat), or null where unknown: what a job
    /// cost independent of how long other work on the machine made it wait.
    /// </summary>
    public static double? CpuSeconds()
    {
        try
        {
            string stat = File.ReadAllText("/proc/thread-self/stat");
            // Fields after the parenthesised name: state is field 3, utime 14, stime 15 (clock ticks of 1/100 s).
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, uint who, int prio);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getpriority(int which, uint who);

    [LibraryImport("libc")]
    private static partial long syscall(long number);
}
