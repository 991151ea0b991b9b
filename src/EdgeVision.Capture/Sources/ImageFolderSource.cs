using System.Diagnostics;
using OpenCvSharp;

namespace EdgeVision.Capture;

/// <summary>
/// The images of a folder in alphabetical order, each shown for ImageDuration. Images are decoded once at open;
/// frames are delivered at Fps (default 10) so the stream stays live while one image is on screen.
/// </summary>
public sealed class ImageFolderSource : FrameSource
{
    public const double DefaultFps = 10;

    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".pgm", ".ppm",
    };

    private readonly SourceOptions _options;
    private readonly List<Mat> _images = [];
    private readonly List<string> _names = [];
    private long _period;
    private long _due;
    private long _imageStart;
    private int _current;

    public ImageFolderSource(SourceOptions options)
        : base($"image folder {options.Path}")
    {
        _options = options;
    }

    public override bool IsLive => false;

    /// <summary>File names in display order (after open).</summary>
    public IReadOnlyList<string> FileNames => _names;

    /// <summary>Index of the image on screen.</summary>
    public int CurrentIndex => _current;

    public override void Open(CancellationToken cancellationToken)
    {
        string path = _options.Path ?? throw new SourceException($"source '{_options.Name}': no Path for an image folder");
        if (!Directory.Exists(path)) throw new SourceException($"{Description}: the folder does not exist");
        var files = Directory.EnumerateFiles(path)
            .Where(f => Extensions.Contains(System.IO.Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (string file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = Cv2.ImRead(file, ImreadModes.Color);
            if (image.Empty())
            {
                image.Dispose();
                throw new SourceException($"{Description}: {System.IO.Path.GetFileName(file)} cannot be decoded");
            }
            _images.Add(image);
            _names.Add(System.IO.Path.GetFileName(file));
        }
        if (_images.Count == 0)
            throw new SourceException($"{Description}: no images ({string.Join(", ", Extensions.Order())})");
        double fps = _options.Fps > 0 ? _options.Fps : DefaultFps;
        _period = (long)(Stopwatch.Frequency / fps);
        _due = Stopwatch.GetTimestamp();
        _imageStart = _due;
        _current = 0;
    }

    public override FrameReadStatus Read(CapturedFrame frame, CancellationToken cancellationToken)
    {
        if (_images.Count == 0) throw new InvalidOperationException($"{Description} is not open");
        if (!WaitUntil(_due, cancellationToken)) return FrameReadStatus.Frame;
        long now = Stopwatch.GetTimestamp();
        _due = now - _due > _period * 4 ? now + _period : _due + _period;
        long duration = (long)(_options.ImageDuration.TotalSeconds * Stopwatch.Frequency);
        while (now - _imageStart >= duration)
        {
            _imageStart += duration;
            if (_current + 1 < _images.Count) _current++;
            else if (_options.Loop) _current = 0;
            else return FrameReadStatus.EndOfStream;
        }
        _images[_current].CopyTo(frame.Image);
        return FrameReadStatus.Frame;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var image in _images) image.Dispose();
            _images.Clear();
        }
    }
}
