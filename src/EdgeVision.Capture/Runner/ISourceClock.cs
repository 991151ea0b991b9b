using System.Diagnostics;

namespace EdgeVision.Capture;

/// <summary>Time as the source runner sees it; replaced in tests so recovery ladders run instantly.</summary>
public interface ISourceClock
{
    /// <summary>Now, in <see cref="Stopwatch"/> ticks.</summary>
    long GetTimestamp();

    /// <summary>Sleeps for <paramref name="delay"/>; false when cancelled first.</summary>
    bool Delay(TimeSpan delay, CancellationToken cancellationToken);
}

/// <summary>The real clock.</summary>
public sealed class SystemSourceClock : ISourceClock
{
    public static readonly SystemSourceClock Instance = new();

    public long GetTimestamp() => Stopwatch.GetTimestamp();

    public bool Delay(TimeSpan delay, CancellationToken cancellationToken) =>
        !cancellationToken.WaitHandle.WaitOne(delay);
}
