using System.Diagnostics;
using EdgeVision.Daemon.Options;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>Whether frames are flowing through inference: the systemd watchdog and readiness depend on it.</summary>
public sealed class FlowMonitor(IOptions<FrameLoopOptions> options)
{
    private readonly long _timeout = (long)(options.Value.FlowTimeoutSeconds * Stopwatch.Frequency);
    private long _lastFrameAt;
    private long _inferred;

    public long FramesInferred => Interlocked.Read(ref _inferred);

    public void FramesInferredNow(int count)
    {
        Interlocked.Add(ref _inferred, count);
        Volatile.Write(ref _lastFrameAt, Stopwatch.GetTimestamp());
    }

    public bool FramesFlowing
    {
        get
        {
            long last = Volatile.Read(ref _lastFrameAt);
            return last != 0 && Stopwatch.GetTimestamp() - last < _timeout;
        }
    }
}
