using OpenCvSharp;

namespace EdgeVision.Daemon.Streaming;

/// <summary>
/// Downscaled copies of a feed's frames for clients that asked for <c>?width=</c>: the first reader that needs
/// a width for a frame decodes, resizes and encodes it, every other reader of that width reuses the result.
/// </summary>
internal sealed class ScaledJpegCache
{
    /// <summary>Widths are rounded to this step so clients cannot force one encode per pixel of width.</summary>
    public const int WidthStep = 32;

    /// <summary>Distinct widths kept per feed; more than this and the least recently used is forgotten.</summary>
    public const int MaxWidths = 8;

    private readonly object _gate = new();
    private readonly List<Entry> _entries = [];
    private readonly int _quality;

    public ScaledJpegCache(int jpegQuality) => _quality = jpegQuality;

    /// <summary>Rounds a requested width down to the cache step, never below one step.</summary>
    public static int Quantize(int width) => Math.Max(WidthStep, width / WidthStep * WidthStep);

    /// <summary>
    /// The frame at <paramref name="width"/> (acquired; the caller releases it), or the source itself
    /// (acquired again) when the frame is not wider than that.
    /// </summary>
    public SharedJpeg GetScaled(SharedJpeg source, int width)
    {
        Entry entry;
        lock (_gate)
        {
            entry = _entries.Find(e => e.Width == width) ?? AddEntry(width);
            entry.LastUse = Environment.TickCount64;
        }
        lock (entry)
        {
            if (entry.Frame is { } cached && cached.Sequence == source.Sequence && cached.TryAcquire()) return cached;
            if (entry.PassThroughSequence == source.Sequence && source.TryAcquire()) return source;

            using var decoded = Cv2.ImDecode(source.Bytes.Span, ImreadModes.Color);
            if (decoded.Empty() || decoded.Width <= width)
            {
                entry.PassThroughSequence = source.Sequence;
                if (!source.TryAcquire()) throw new InvalidOperationException("the source frame was released while being scaled");
                return source;
            }
            int height = Math.Max(1, (int)Math.Round(decoded.Height * (double)width / decoded.Width));
            using var resized = new Mat();
            Cv2.Resize(decoded, resized, new Size(width, height), 0, 0, InterpolationFlags.Area);
            Cv2.ImEncode(".jpg", resized, out byte[] jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, _quality));
            var frame = entry.Pool.Rent();
            frame.Fill(jpeg, source.Sequence);
            entry.Frame?.Release();
            entry.Frame = frame;
            frame.TryAcquire();
            return frame;
        }
    }

    private Entry AddEntry(int width)
    {
        if (_entries.Count >= MaxWidths)
        {
            var oldest = _entries.MinBy(e => e.LastUse)!;
            _entries.Remove(oldest);
            lock (oldest)
            {
                oldest.Frame?.Release();
                oldest.Frame = null;
            }
        }
        var entry = new Entry(width);
        _entries.Add(entry);
        return entry;
    }

    private sealed class Entry(int width)
    {
        public int Width { get; } = width;
        public FramePool Pool { get; } = new();
        public SharedJpeg? Frame { get; set; }
        public long PassThroughSequence { get; set; } = -1;
        public long LastUse { get; set; }
    }
}
