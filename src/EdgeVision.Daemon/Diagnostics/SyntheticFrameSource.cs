using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeVision.Capture;
using OpenCvSharp;

namespace EdgeVision.Daemon.Diagnostics;

/// <summary>
/// A live source for the benchmark: one prepared 640×480 frame delivered at a fixed rate and, like a camera
/// that DMAs into its buffers, at no cost to the source thread: each of the slot's rotating buffers receives
/// the frame once, later frames only reuse it. The measurement then sees the daemon's own work (the frame
/// loop's copy, resize, inference, smoothing, view), not a decoder, and not one core spent copying
/// megabytes thousands of times a second. Rates above 1 kHz are paced with nanosleep: the runtime's waits
/// have millisecond resolution and would turn a sub-millisecond period into a busy loop.
/// </summary>
public sealed class SyntheticFrameSource(Mat frame, double fps) : EdgeVision.Capture.FrameSource("synthetic")
{
    private readonly long _period = (long)(Stopwatch.Frequency / fps);
    private readonly IntPtr[] _filled = new IntPtr[8];
    private int _filledCount;
    private long _next;

    public override bool IsLive => true;

    public override void Open(CancellationToken cancellationToken) => _next = Stopwatch.GetTimestamp();

    public override FrameReadStatus Read(CapturedFrame captured, CancellationToken cancellationToken)
    {
        _next += _period;
        long now = Stopwatch.GetTimestamp();
        if (_next < now - _period) _next = now;
        if (!SleepUntil(_next, cancellationToken)) return FrameReadStatus.EndOfStream;
        if (!Holds(captured.Image)) frame.CopyTo(captured.Image);
        captured.GroundTruth = null;
        return FrameReadStatus.Frame;
    }

    /// <summary>True when <paramref name="buffer"/> already received the frame (same pixels, same memory).</summary>
    private bool Holds(Mat buffer)
    {
        if (buffer.Empty() || buffer.Size() != frame.Size() || buffer.Type() != frame.Type()) return false;
        var data = buffer.Data;
        for (int i = 0; i < _filledCount; i++)
            if (_filled[i] == data) return true;
        if (_filledCount < _filled.Length) _filled[_filledCount++] = data;
        // Recorded before the copy that follows, so the next visit of this buffer skips it.
        return false;
    }

    private static bool SleepUntil(long due, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            long remaining = due - Stopwatch.GetTimestamp();
            if (remaining <= 0) return true;
            double seconds = Math.Min(remaining / (double)Stopwatch.Frequency, 0.05); // wake up to see cancellation
            var request = new Timespec { Seconds = (long)seconds, Nanoseconds = (long)((seconds - Math.Floor(seconds)) * 1e9) };
            _ = NanoSleep(in request, IntPtr.Zero);
        }
        return false;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "nanosleep")]
    private static extern int NanoSleep(in Timespec request, IntPtr remaining);
}
