using System.Diagnostics;
using System.Globalization;

namespace EdgeVision.Tools.Bench;

/// <summary>
/// How much of the cores other processes used while a benchmark ran: busy time of the whole machine from
/// /proc/stat minus this process's own CPU time, over wall time × cores. The load average at the start lags
/// by a minute (a paused neighbour still shows), and says nothing about what happened during the run.
/// </summary>
public sealed class CpuContention
{
    private readonly double _machineBusyAtStart;
    private readonly TimeSpan _ownAtStart;
    private readonly long _startedAt;

    private CpuContention(double machineBusy, TimeSpan own)
    {
        _machineBusyAtStart = machineBusy;
        _ownAtStart = own;
        _startedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>Starts measuring; null where /proc/stat is not there to read (not Linux).</summary>
    public static CpuContention? Start() =>
        MachineBusySeconds() is { } busy ? new CpuContention(busy, Process.GetCurrentProcess().TotalProcessorTime) : null;

    /// <summary>Other processes' share of all cores since <see cref="Start"/>, 0..1.</summary>
    public double OthersShare()
    {
        double wall = Stopwatch.GetElapsedTime(_startedAt).TotalSeconds;
        double machine = (MachineBusySeconds() ?? _machineBusyAtStart) - _machineBusyAtStart;
        double own = (Process.GetCurrentProcess().TotalProcessorTime - _ownAtStart).TotalSeconds;
        return wall <= 0 ? 0 : Math.Clamp((machine - own) / (wall * Environment.ProcessorCount), 0, 1);
    }

    /// <summary>user + nice + system + irq + softirq + steal of the aggregate "cpu" line, in seconds.</summary>
    private static double? MachineBusySeconds()
    {
        const string path = "/proc/stat";
        if (!File.Exists(path)) return null;
        string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null) return null;
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 9) return null;
        long ticks = 0;
        foreach (int i in new[] { 1, 2, 3, 6, 7, 8 }) ticks += long.Parse(f[i], CultureInfo.InvariantCulture);
        // USER_HZ is 100 on every Linux ABI .NET runs on.
        return ticks / 100.0;
    }
}
