using OpenCvSharp;

namespace EdgeVision.Capture;

/// <summary>
/// One buffer of the triple-buffered slot: a BGR CV_8UC3 image and what is known about it. Instances are
/// reused, never allocated per frame; whoever holds one (the capture thread's back buffer, the slot's latest,
/// the frame loop's front buffer) owns it until it swaps it away.
/// </summary>
public sealed class CapturedFrame : IDisposable
{
    /// <summary>The BGR image. Read into in place; OpenCV reallocates only when the size changes.</summary>
    public Mat Image { get; private set; } = new();

    /// <summary>Per-source sequence number of captured frames, starting at 1 (NO SIGNAL frames keep the last one).</summary>
    public long Sequence { get; set; }

    /// <summary>When the frame was captured, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long Timestamp { get; set; }

    /// <summary>Name of the source that produced the frame.</summary>
    public string SourceName { get; set; } = "";

    /// <summary>Class index of what is on screen when the source knows it (the demo source), otherwise null.</summary>
    public int? GroundTruth { get; set; }

    /// <summary>True for the NO SIGNAL placeholder shown while the source is down: show it, do not classify it.</summary>
    public bool IsNoSignal { get; set; }

    public bool IsDisposed { get; private set; }

    /// <summary>Copies the metadata (not the pixels) from another frame.</summary>
    public void CopyInfoFrom(CapturedFrame other)
    {
        Sequence = other.Sequence;
        Timestamp = other.Timestamp;
        SourceName = other.SourceName;
        GroundTruth = other.GroundTruth;
        IsNoSignal = other.IsNoSignal;
    }

    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        Image.Dispose();
    }
}
