using System.Diagnostics;
using OpenCvSharp;

namespace EdgeVision.Capture;

/// <summary>A video file decoded by OpenCV, paced to the file's own frame rate, optionally looping.</summary>
public sealed class VideoFileSource : FrameSource
{
    private const double FallbackFps = 30;
    private readonly SourceOptions _options;
    private VideoCapture? _capture;
    private long _period;
    private long _due;

    public VideoFileSource(SourceOptions options)
        : base($"video file {options.Path}")
    {
        _options = options;
    }

    public override bool IsLive => false;

    /// <summary>The rate frames are delivered at: the option if set, else the file's own.</summary>
    public double Fps { get; private set; }

    public override void Open(CancellationToken cancellationToken)
    {
        string path = _options.Path ?? throw new SourceException($"source '{_options.Name}': no Path for a video file");
        if (!File.Exists(path)) throw new SourceException($"{Description}: the file does not exist");
        _capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        if (!_capture.IsOpened()) throw new SourceException($"{Description}: OpenCV cannot decode it");
        double fileFps = _capture.Get(VideoCaptureProperties.Fps);
        Fps = _options.Fps > 0 ? _options.Fps : fileFps is > 0 and <= SourceOptions.MaxFps ? fileFps : FallbackFps;
        _period = (long)(Stopwatch.Frequency / Fps);
        _due = Stopwatch.GetTimestamp();
    }

    public override FrameReadStatus Read(CapturedFrame frame, CancellationToken cancellationToken)
    {
        var capture = _capture ?? throw new InvalidOperationException($"{Description} is not open");
        if (!WaitUntil(_due, cancellationToken)) return FrameReadStatus.Frame;
        // Pace from the schedule, not from now, so decode time does not slow playback; resync after a long pause.
        long now = Stopwatch.GetTimestamp();
        _due = now - _due > _period * 4 ? now + _period : _due + _period;
        if (capture.Read(frame.Image) && !frame.Image.Empty()) return Normalize(frame);
        if (!_options.Loop) return FrameReadStatus.EndOfStream;
        capture.Set(VideoCaptureProperties.PosFrames, 0);
        if (capture.Read(frame.Image) && !frame.Image.Empty()) return Normalize(frame);
        throw new SourceException($"{Description}: no frame after rewinding (empty or corrupt file)");
    }

    private static FrameReadStatus Normalize(CapturedFrame frame)
    {
        if (frame.Image.Type() == MatType.CV_8UC1)
            Cv2.CvtColor(frame.Image, frame.Image, ColorConversionCodes.GRAY2BGR);
        return FrameReadStatus.Frame;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _capture?.Dispose();
            _capture = null;
        }
    }
}
