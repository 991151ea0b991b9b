using System.Diagnostics;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// Decides which inferred frames of one source are also shown (HUD, JPEG, stream, window, recording): at most
/// <c>FrameLoop:MaxViewFps</c> of them, as a game renders at the display's rate whatever its simulation tick.
/// Every frame is still inferred and smoothed; only the view, which costs more than a small model's inference
/// and which no viewer can follow past a display's rate, is paced. A frame up to a quarter period early is
/// shown, so a source at exactly the cap with ordinary jitter loses nothing; after a pause the schedule
/// restarts from now instead of bursting to catch up.
/// </summary>
public sealed class ViewPacer(double maxFps)
{
    private readonly long _period = maxFps > 0 ? (long)(Stopwatch.Frequency / maxFps) : 0;
    private long _next = long.MinValue;

    /// <summary>Frames the pacer held back (inferred, not shown).</summary>
    public long Held { get; private set; }

    /// <param name="now">Stopwatch ticks of this decision.</param>
    public bool ShouldShow(long now)
    {
        if (_period == 0) return true;
        if (_next != long.MinValue && now + _period / 4 < _next)
        {
            Held++;
            return false;
        }
        _next = _next == long.MinValue ? now + _period : Math.Max(_next + _period, now + _period / 2);
        return true;
    }
}
