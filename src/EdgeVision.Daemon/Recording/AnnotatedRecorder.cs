using System.Globalization;
using EdgeVision.Daemon.FrameLoop;
using EdgeVision.Daemon.Options;
using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace EdgeVision.Daemon.Recording;

/// <summary>
/// Writes the annotated frames of one source to an MJPG .avi (this OpenCV build has no H.264 encoder) or
/// as numbered JPEGs into a folder (the bytes the stream already encoded, so nothing is encoded twice).
/// Runs on the encode stage thread, never on the frame loop's.
/// </summary>
public sealed class AnnotatedRecorder : IAnnotatedFrameSink, IDisposable
{
    private readonly OutputOptions _options;
    private readonly ILogger<AnnotatedRecorder> _logger;
    private readonly object _gate = new();
    private VideoWriter? _video;
    private string? _source;
    private long _written;
    private bool _failed;
    private bool _disposed;

    public AnnotatedRecorder(IOptions<OutputOptions> options, ILogger<AnnotatedRecorder> logger)
    {
        _options = options.Value;
        _logger = logger;
        _source = _options.Source;
    }

    public bool Enabled => _options.Path is not null;
    public long Written => Interlocked.Read(ref _written);

    public void Publish(FrameReport report, ReadOnlySpan<byte> jpeg, Mat annotated, Mat raw)
    {
        if (!Enabled || _failed) return;
        _source ??= report.Source;
        if (!string.Equals(report.Source, _source, StringComparison.Ordinal)) return;
        lock (_gate)
        {
            if (_disposed) return;
            if (_options.IsVideo) WriteVideo(annotated);
            else WriteImage(jpeg);
        }
    }

    private void WriteVideo(Mat annotated)
    {
        if (_video is null)
        {
            string path = Path.GetFullPath(_options.Path!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            _video = new VideoWriter(path, FourCC.MJPG, _options.VideoFps, annotated.Size());
            if (!_video.IsOpened())
            {
                _failed = true;
                _logger.LogError("Output: cannot open {Path} for MJPG video; recording is off", path);
                return;
            }
            _logger.LogInformation("Output: recording {Source} to {Path} ({Width}x{Height} MJPG)", _source, path, annotated.Width, annotated.Height);
        }
        _video.Write(annotated);
        Interlocked.Increment(ref _written);
    }

    private void WriteImage(ReadOnlySpan<byte> jpeg)
    {
        if (_options.MaxImages > 0 && _written >= _options.MaxImages)
        {
            _failed = true;
            _logger.LogWarning("Output: {Max} images written to {Path}; recording stopped", _options.MaxImages, _options.Path);
            return;
        }
        if (_written == 0) Directory.CreateDirectory(_options.Path!);
        string name = Path.Combine(_options.Path!, (_written + 1).ToString("D6", CultureInfo.InvariantCulture) + ".jpg");
        File.WriteAllBytes(name, jpeg);
        Interlocked.Increment(ref _written);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _video?.Release();
            _video?.Dispose();
            _video = null;
        }
    }
}
