using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// The view stage, on its own thread: draw the HUD, encode the JPEG once, publish to every sink.
/// The frame loop hands each source's frame over through a one-slot mailbox (latest wins: a frame the stage
/// had no time for is replaced, never queued), so encoding frame N overlaps inferring frame N+1.
/// </summary>
public sealed class EncodeStage : IDisposable
{
    private readonly Mailbox[] _mailboxes;
    private readonly LatestRawFrames _raw;
    private readonly IReadOnlyList<IAnnotatedFrameSink> _sinks;
    private readonly ILogger _logger;
    private readonly AutoResetEvent _signal = new(false);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _published;

    public EncodeStage(IReadOnlyList<string> sources, int topK, int jpegQuality, HudToggles hud, LatestRawFrames raw,
        IReadOnlyList<IAnnotatedFrameSink> sinks, ILogger logger)
    {
        _mailboxes = sources.Select((s, i) => new Mailbox(s, i, topK, jpegQuality, new HudPainter(hud))).ToArray();
        _raw = raw;
        _sinks = sinks;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "encode stage" };
        _thread.Start();
    }

    public long Published => Interlocked.Read(ref _published);

    /// <summary>Managed bytes the stage thread has allocated (for the allocation benchmark).</summary>
    public ThreadAllocations ThreadAllocations { get; } = new();

    /// <summary>
    /// Hands <paramref name="raw"/> and <paramref name="report"/> over by swapping them with the mailbox's (no
    /// copy): the caller gets back a Mat and a report of the same source to fill next time.
    /// </summary>
    public void Offer(int source, ref Mat raw, ref FrameReport report)
    {
        var m = _mailboxes[source];
        lock (m)
        {
            (m.PendingRaw, raw) = (raw, m.PendingRaw);
            (m.PendingReport, report) = (report, m.PendingReport);
            m.Full = true;
        }
        _signal.Set();
    }

    private void Run()
    {
        while (!_stopping)
        {
            ThreadAllocations.Sample();
            _signal.WaitOne(100);
            for (int i = 0; i < _mailboxes.Length; i++)
            {
                var m = _mailboxes[i];
                lock (m)
                {
                    if (!m.Full) continue;
                    // The raw frame goes to the store; the one it replaces is the next pending buffer.
                    m.Raw = m.PendingRaw;
                    m.PendingRaw = _raw.Exchange(i, m.PendingRaw);
                    (m.PendingReport, m.Report) = (m.Report, m.PendingReport);
                    m.Full = false;
                }
                try
                {
                    Process(m);
                }
                catch (Exception e)
                {
                    // A bad frame must not take the process down; the next one gets a fresh try.
                    _logger.LogError(e, "Encoding a frame of {Source} failed", m.Report.Source);
                }
            }
        }
    }

    private void Process(Mailbox m)
    {
        m.Raw!.CopyTo(m.Annotated);
        m.Report.EndToEndMs = Stopwatch.GetElapsedTime(m.Report.CapturedAt).TotalMilliseconds;
        m.Hud.Draw(m.Annotated, m.Report);
        var jpeg = m.Encoder.Encode();
        m.Report.EndToEndMs = Stopwatch.GetElapsedTime(m.Report.CapturedAt).TotalMilliseconds;
        for (int s = 0; s < _sinks.Count; s++)
        {
            try
            {
                _sinks[s].Publish(m.Report, jpeg, m.Annotated, m.Raw);
            }
            catch (Exception e)
            {
                // One failing consumer must not stop the others or the stage.
                _logger.LogError(e, "Sink {Sink} failed on a frame of {Source}", _sinks[s].GetType().Name, m.Report.Source);
            }
        }
        Interlocked.Increment(ref _published);
    }

    public void Dispose()
    {
        _stopping = true;
        _signal.Set();
        _thread.Join(TimeSpan.FromSeconds(3));
        foreach (var m in _mailboxes) m.Dispose();
        _signal.Dispose();
    }

    /// <summary>One source's hand-over: the pending pair the loop swaps in, the pair being drawn and encoded.</summary>
    private sealed class Mailbox : IDisposable
    {
        public Mailbox(string source, int index, int topK, int quality, HudPainter hud)
        {
            Hud = hud;
            PendingReport = new FrameReport(source, index, topK);
            Report = new FrameReport(source, index, topK);
            Encoder = new JpegEncoder(Annotated, quality);
        }

        public readonly HudPainter Hud;
        public Mat PendingRaw = new();

        /// <summary>The frame being drawn: the one now in <see cref="LatestRawFrames"/>, which owns it.</summary>
        public Mat? Raw;
        public readonly Mat Annotated = new();
        public FrameReport PendingReport;
        public FrameReport Report;
        public readonly JpegEncoder Encoder;
        public bool Full;

        public void Dispose()
        {
            Encoder.Dispose();
            PendingRaw.Dispose();
            Annotated.Dispose();
        }
    }
}
