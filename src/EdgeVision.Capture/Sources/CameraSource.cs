using OpenCvSharp;

namespace EdgeVision.Capture;

/// <summary>A V4L2 camera through OpenCV, with the requested size, rate and pixel format.</summary>
public sealed class CameraSource : FrameSource
{
    private readonly SourceOptions _options;
    private readonly int _index;
    private VideoCapture? _capture;

    public CameraSource(SourceOptions options)
        : base($"camera /dev/video{Index(options)}")
    {
        _options = options;
        _index = Index(options);
    }

    public override bool IsLive => true;

    public override void Open(CancellationToken cancellationToken)
    {
        _capture = new VideoCapture(_index, VideoCaptureAPIs.V4L2);
        if (!_capture.IsOpened())
            throw new SourceException($"{Description} could not be opened (missing, busy, or no permission for the video group)");
        // The pixel format must be set before the size: MJPG is what unlocks high resolutions at full rate on USB 2.
        if (_options.FourCC is { Length: 4 } fourcc)
            _capture.Set(VideoCaptureProperties.FourCC, VideoWriter.FourCC(fourcc[0], fourcc[1], fourcc[2], fourcc[3]));
        if (_options.Width > 0) _capture.Set(VideoCaptureProperties.FrameWidth, _options.Width);
        if (_options.Height > 0) _capture.Set(VideoCaptureProperties.FrameHeight, _options.Height);
        if (_options.Fps > 0) _capture.Set(VideoCaptureProperties.Fps, _options.Fps);
        // One buffered frame: anything deeper is latency the frame loop would see as lag.
        _capture.Set(VideoCaptureProperties.BufferSize, 1);
    }

    public override FrameReadStatus Read(CapturedFrame frame, CancellationToken cancellationToken)
    {
        var capture = _capture ?? throw new InvalidOperationException($"{Description} is not open");
        if (!capture.Read(frame.Image) || frame.Image.Empty())
            throw new SourceException($"{Description} returned no frame (unplugged?)");
        if (frame.Image.Type() == MatType.CV_8UC1)
            Cv2.CvtColor(frame.Image, frame.Image, ColorConversionCodes.GRAY2BGR);
        return FrameReadStatus.Frame;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _capture?.Release();
            _capture?.Dispose();
            _capture = null;
        }
    }

    private static int Index(SourceOptions options) =>
        CameraDevice.TryParse(options.Device, out int index)
            ? index
            : throw new SourceException($"source '{options.Name}': Device '{options.Device}' is neither a camera index nor /dev/videoN");
}
