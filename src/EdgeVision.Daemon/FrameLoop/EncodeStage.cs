using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// The stage after inference, on its own thread: draw the HUD, encode the JPEG once, publish to every sink.
/// The frame loop hands each source's frame over through a one-slot mailbox (latest wins: a frame the stage
/// had no time for is replaced, never queued), so encoding frame N overlaps inferring frame N+1.
/// </summary>
public sealed class EncodeStage : IDisposable
{
    private readonly Lane[] _lanes;
    private readonly IReadOnlyList<IAnnotatedFrameSink> _sinks;
    private readonly ILogger _logger;
    private readonly AutoResetEvent _signal = new(false);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _published;
    private long _allocated;

    public EncodeStage(IReadOnlyList<string> sources, int topK, int jpegQuality, HudToggles hud,
        IReadOnlyList<IAnnotatedFrameSink> sinks, ILogger logger)
    {
        _lanes = sources.Select(s => new Lane(topK, jpegQuality, new HudPainter(hud))).ToArray();
        _sinks = sinks;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "encode stage" };
        _thread.Start();
    }

    public long Published => Interlocked.Read(ref _published);

    /// <summary>Managed bytes the stage thread has allocated since it started (for the allocation benchmark).</summary>
    public long ThreadAllocatedBytes => Volatile.Read(ref _allocated);

    /// <summary>
    /// Hands <paramref name="raw"/> over by swapping it with the mailbox's Mat (no copy): the caller gets
    /// back a Mat to fill next time.
    /// </summary>
    public void Offer(int lane, ref Mat raw, FrameReport report)
    {
        var l = _lanes[lane];
        lock (l)
        {
            (l.PendingRaw, raw) = (raw, l.PendingRaw);
            l.PendingReport.CopyFrom(report);
            l.Full = true;
        }
        _signal.Set();
    }

    /// <summary>Copies the newest raw frame the stage has of <paramref name="lane"/>; false if none yet.</summary>
    public bool TryCopyRaw(int lane, Mat destination)
    {
        var l = _lanes[lane];
        lock (l.RawGate)
        {
            if (l.Raw.Empty()) return false;
            l.Raw.CopyTo(destination);
            return true;
        }
    }

    private void Run()
    {
        long allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        while (!_stopping)
        {
            Volatile.Write(ref _allocated, GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart);
            _signal.WaitOne(100);
            for (int i = 0; i < _lanes.Length; i++)
            {
                var l = _lanes[i];
                lock (l)
                {
                    if (!l.Full) continue;
                    lock (l.RawGate) (l.PendingRaw, l.Raw) = (l.Raw, l.PendingRaw);
                    l.Report.CopyFrom(l.PendingReport);
                    l.Full = false;
                }
                try
                {
                    Process(l);
                }
                catch (Exception e)
                {
                    // A bad frame must not take the process down; the next one gets a fresh try.
                    _logger.LogError(e, "Encoding a frame of {Source} failed", l.Report.Source);
                }
            }
        }
    }

    private void Process(Lane l)
    {
        l.Raw.CopyTo(l.Annotated);
        l.Report.EndToEndMs = Stopwatch.GetElapsedTime(l.Report.CapturedAt).TotalMilliseconds;
        l.Hud.Draw(l.Annotated, l.Report);
        var jpeg = l.Encoder.Encode();
        l.Report.EndToEndMs = Stopwatch.GetElapsedTime(l.Report.CapturedAt).TotalMilliseconds;
        for (int s = 0; s < _sinks.Count; s++)
        {
            try
            {
                _sinks[s].Publish(l.Report, jpeg, l.Annotated, l.Raw);
            }
            catch (Exception e)
            {
                // One failing consumer must not stop the others or the stage.
                _logger.LogError(e, "Sink {Sink} failed on a frame of {Source}", _sinks[s].GetType().Name, l.Report.Source);
            }
        }
        Interlocked.Increment(ref _published);
    }

    public void Dispose()
    {
        _stopping = true;
        _signal.Set();
        _thread.Join(TimeSpan.FromSeconds(3));
        foreach (var l in _lanes) l.Dispose();
        _signal.Dispose();
    }

    private sealed class Lane : IDisposable
    {
        public Lane(int topK, int quality, HudPainter hud)
        {
            Hud = hud;
            PendingReport = new FrameReport(topK);
            Report = new FrameReport(topK);
            Encoder = new JpegEncoder(Annotated, quality);
        }

        public readonly HudPainter Hud;

        public readonly object RawGate = new();
        public Mat PendingRaw = new();
        public Mat Raw = new();
        public readonly Mat Annotated = new();
        public readonly FrameReport PendingReport;
        public readonly FrameReport Report;
        public readonly JpegEncoder Encoder;
        public bool Full;

        public void Dispose()
        {
            Encoder.Dispose();
            PendingRaw.Dispose();
            Raw.Dispose();
            Annotated.Dispose();
        }
    }
}
