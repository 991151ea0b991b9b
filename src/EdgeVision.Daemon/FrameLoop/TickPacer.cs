using System.Diagnostics;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// Paces the loop at FrameLoop:TargetFps (0: free-running). Behind by more than a tick, it restarts the
/// schedule from now instead of catching up with a burst.
/// </summary>
public sealed class TickPacer(double targetFps)
{
    private readonly long _period = targetFps > 0 ? (long)(Stopwatch.Frequency / targetFps) : 0;
    private long _next = Stopwatch.GetTimestamp();

    public void WaitForTick(CancellationToken ct)
    {
        if (_period == 0) return;
        long wait = _next - Stopwatch.GetTimestamp();
        if (wait > 0) ct.WaitHandle.WaitOne(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
        long next = _next + _period;
        _next = next < Stopwatch.GetTimestamp() ? Stopwatch.GetTimestamp() + _period : next;
    }
}
