namespace EdgeVision.Capture;

/// <summary>
/// Capped exponential backoff with jitter: initial, 2×, 4×… up to max, each spread by ±<see cref="JitterFraction"/>
/// (so many cameras that dropped together do not reconnect in lockstep), never above max. Reset after a good frame.
/// </summary>
public sealed class Backoff
{
    private readonly Random _random;
    private int _failures;

    public Backoff(TimeSpan initial, TimeSpan max, double jitterFraction = 0.2, Random? random = null)
    {
        if (initial <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(initial), initial, "must be positive");
        if (max < initial) throw new ArgumentOutOfRangeException(nameof(max), max, "must be at least the initial delay");
        if (jitterFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(jitterFraction), jitterFraction, "must be in [0, 1)");
        Initial = initial;
        Max = max;
        JitterFraction = jitterFraction;
        _random = random ?? new Random();
    }

    public TimeSpan Initial { get; }
    public TimeSpan Max { get; }
    public double JitterFraction { get; }

    /// <summary>Consecutive failures since the last reset.</summary>
    public int Failures => _failures;

    /// <summary>The delay before the next attempt; advances the ladder.</summary>
    public TimeSpan Next()
    {
        double factor = Math.Pow(2, Math.Min(_failures, 30));
        _failures++;
        double baseTicks = Math.Min(Initial.Ticks * factor, Max.Ticks);
        double jitter = 1 + JitterFraction * (2 * _random.NextDouble() - 1);
        return TimeSpan.FromTicks((long)Math.Min(baseTicks * jitter, Max.Ticks));
    }

    public void Reset() => _failures = 0;
}
