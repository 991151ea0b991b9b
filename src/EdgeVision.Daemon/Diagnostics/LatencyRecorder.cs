using EdgeVision.Daemon.FrameLoop;
using OpenCvSharp;

namespace EdgeVision.Daemon.Diagnostics;

/// <summary>A sink that keeps capture→JPEG latencies in a preallocated array (it must not allocate either).</summary>
public sealed class LatencyRecorder(int capacity) : IAnnotatedFrameSink
{
    private readonly double[] _ms = new double[capacity];
    private int _count;
    private volatile bool _recording;

    public int Count => Math.Min(Volatile.Read(ref _count), _ms.Length);

    public void Start()
    {
        Volatile.Write(ref _count, 0);
        _recording = true;
    }

    public void Stop() => _recording = false;

    public void Publish(FrameReport report, ReadOnlySpan<byte> jpeg, Mat annotated, Mat raw)
    {
        if (!_recording || report.TopCount == 0) return;
        int i = Interlocked.Increment(ref _count) - 1;
        if (i < _ms.Length) _ms[i] = report.EndToEndMs;
    }

    public double Percentile(double p)
    {
        int n = Count;
        if (n == 0) return double.NaN;
        var sorted = _ms.AsSpan(0, n).ToArray();
        Array.Sort(sorted);
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * n) - 1, 0, n - 1)];
    }
}
