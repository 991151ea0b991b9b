using System.Diagnostics;
using EdgeVision.Daemon.Streaming;
using OpenCvSharp;

namespace EdgeVision.Daemon.Tests.Http;

/// <summary>
/// Plays the frame loop: publishes a fixed cycle of pre-encoded annotated JPEGs (so the test knows every
/// byte that may appear on the wire) plus predictions, paced like a camera that drops a tick rather than
/// bursting to catch up. Counts ticks published and time spent inside PublishFrame.
/// </summary>
internal sealed class FakeFrameProducer : IDisposable
{
    private readonly StreamHub _hub;
    private readonly string[] _sources;
    private readonly Mat[] _raw;
    private readonly object _rawGate = new();
    private readonly ScoredLabel[] _topk = new ScoredLabel[3];
    private Thread? _thread;
    private volatile bool _stop;
    private long _published;
    private long _publishTicks;
    private int _current;

    public FakeFrameProducer(StreamHub hub, int width, int height, int distinctFrames, bool noisy, params string[] sources)
    {
        _hub = hub;
        _sources = sources;
        _raw = new Mat[distinctFrames];
        Jpegs = new byte[distinctFrames][];
        for (int i = 0; i < distinctFrames; i++)
        {
            var raw = new Mat(height, width, MatType.CV_8UC3, new Scalar(40 + 20 * i % 200, 90, 160 - 10 * i % 150));
            if (noisy) Cv2.Randu(raw, new Scalar(0, 0, 0), new Scalar(255, 255, 255));
            _raw[i] = raw;
            using var annotated = raw.Clone();
            Cv2.Rectangle(annotated, new Rect(width / 8, height / 8, width * 3 / 4, height * 3 / 4), new Scalar(200, 242, 55), 3);
            Cv2.PutText(annotated, $"frame {i}", new Point(20, 40), HersheyFonts.HersheySimplex, 1.0, Scalar.White, 2);
            Cv2.ImEncode(".jpg", annotated, out byte[] jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, noisy ? 90 : 85));
            Jpegs[i] = jpeg;
        }
    }

    /// <summary>The annotated JPEGs, in publishing order (cycled).</summary>
    public byte[][] Jpegs { get; }

    public long Published => Interlocked.Read(ref _published);

    public TimeSpan TimeInPublish => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _publishTicks));

    public int Width => _raw[0].Width;

    public void Start(double fps)
    {
        _thread = new Thread(() => Run(fps)) { IsBackground = true, Name = "fake frame loop", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Publishes <paramref name="count"/> ticks synchronously (no pacing), for deterministic tests.</summary>
    public void PublishNow(int count)
    {
        for (int i = 0; i < count; i++) Tick();
    }

    public bool CopyRaw(Mat destination)
    {
        lock (_rawGate)
        {
            if (Published == 0) return false;
            _raw[_current].CopyTo(destination);
            return true;
        }
    }

    private void Run(double fps)
    {
        long period = (long)(Stopwatch.Frequency / fps);
        long next = Stopwatch.GetTimestamp();
        while (!_stop)
        {
            Tick();
            next += period;
            long now = Stopwatch.GetTimestamp();
            if (now - next > period) next = now; // late: drop the missed tick instead of bursting
            long wait = next - now;
            if (wait > 0) Thread.Sleep(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
        }
    }

    private void Tick()
    {
        long sequence = Published;
        int index = (int)(sequence % Jpegs.Length);
        lock (_rawGate) _current = index;
        long started = Stopwatch.GetTimestamp();
        foreach (string source in _sources)
        {
            _hub.PublishFrame(source, sequence, Jpegs[index], _raw[index]);
        }
        Interlocked.Add(ref _publishTicks, Stopwatch.GetTimestamp() - started);
        foreach (string source in _sources)
        {
            _topk[0] = new ScoredLabel("Bag", 0.7f + 0.01f * index % 0.2f);
            _topk[1] = new ScoredLabel("Sandal", 0.2f);
            _topk[2] = new ScoredLabel("Coat", 0.05f);
            _hub.PublishPrediction(new PredictionUpdate(source, sequence, _topk, 3.5, 21.0, "Bag", DateTimeOffset.UtcNow));
        }
        Interlocked.Increment(ref _published);
    }

    public void Stop()
    {
        _stop = true;
        _thread?.Join();
        _thread = null;
    }

    public void Dispose()
    {
        Stop();
        foreach (var mat in _raw) mat.Dispose();
    }
}
