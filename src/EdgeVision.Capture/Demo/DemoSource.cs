using System.Diagnostics;
using OpenCvSharp;

namespace EdgeVision.Capture;

/// <summary>
/// The built-in demo: shipped Fashion-MNIST test images one after another on a 640×480 canvas with game-like
/// motion (<see cref="DemoMotion"/>), each frame carrying the ground truth of the garment on screen. The garment is
/// centred and fills most of the centred square a centre-crop or stretch model sees; the square stays black like
/// the dataset's background, and the decoration lives in the side bands outside it.
/// </summary>
public sealed class DemoSource : FrameSource
{
    public const int DefaultWidth = 640;
    public const int DefaultHeight = 480;
    public const double DefaultFps = 30;

    private readonly SourceOptions _options;
    private readonly int _width;
    private readonly int _height;
    private readonly double _fps;
    private readonly Random _random;
    private DemoImageSet? _set;
    private int[] _order = [];
    private Mat? _backdrop;
    private Mat? _warpA;
    private Mat? _warpB;
    private Mat? _matrix;
    private long _frameIndex;
    private long _period;
    private long _due;

    public DemoSource(SourceOptions options)
        : base($"demo ({options.DemoPath ?? DemoImageSet.DefaultRelativePath})")
    {
        _options = options;
        _width = options.Width > 0 ? options.Width : DefaultWidth;
        _height = options.Height > 0 ? options.Height : DefaultHeight;
        _fps = options.Fps > 0 ? options.Fps : DefaultFps;
        _random = new Random(options.DemoSeed);
    }

    public override bool IsLive => true;

    /// <summary>The loaded images (after open).</summary>
    public DemoImageSet? Images => _set;

    /// <summary>The pose of the most recent frame.</summary>
    public DemoPose LastPose { get; private set; }

    public override void Open(CancellationToken cancellationToken)
    {
        _set = DemoImageSet.Load(_options.DemoPath);
        _order = Enumerable.Range(0, _set.Count).ToArray();
        new Random(_options.DemoSeed).Shuffle(_order);
        _backdrop = RenderBackdrop(_width, _height);
        _warpA = new Mat(_height, _width, MatType.CV_8UC1);
        _warpB = new Mat(_height, _width, MatType.CV_8UC1);
        _matrix = new Mat(2, 3, MatType.CV_64FC1);
        _period = (long)(Stopwatch.Frequency / _fps);
        _due = Stopwatch.GetTimestamp();
        _frameIndex = 0;
    }

    public override FrameReadStatus Read(CapturedFrame frame, CancellationToken cancellationToken)
    {
        var set = _set ?? throw new InvalidOperationException($"{Description} is not open");
        if (!WaitUntil(_due, cancellationToken)) return FrameReadStatus.Frame;
        long now = Stopwatch.GetTimestamp();
        _due = now - _due > _period * 4 ? now + _period : _due + _period;

        // Motion runs on frame time, not wall time: a slow consumer sees the same sequence, and tests are repeatable.
        double t = _frameIndex++ / _fps;
        double jitter = 0.004;
        var pose = DemoMotion.At(t, _options.DemoImageDuration.TotalSeconds, _order,
            jitter * (2 * _random.NextDouble() - 1), jitter * (2 * _random.NextDouble() - 1));
        LastPose = pose;

        Warp(set.Image(pose.Image), _warpA!, pose);
        if (pose.Blend > 0)
        {
            Warp(set.Image(pose.NextImage), _warpB!, pose);
            Cv2.AddWeighted(_warpA!, 1 - pose.Blend, _warpB!, pose.Blend, 0, _warpA!);
        }
        _warpA!.ConvertTo(_warpA!, -1, pose.Gain, 0);
        var image = frame.Image;
        Cv2.CvtColor(_warpA!, image, ColorConversionCodes.GRAY2BGR);
        Cv2.Add(image, _backdrop!, image);
        frame.GroundTruth = set.Labels[pose.DominantImage];
        return FrameReadStatus.Frame;
    }

    /// <summary>Maps the 28×28 garment onto the canvas: centre of the shorter-side square, scaled, tilted, shifted.</summary>
    private unsafe void Warp(Mat source, Mat destination, DemoPose pose)
    {
        double side = Math.Min(_width, _height);
        double s = side * pose.Scale / Math.Max(source.Width, source.Height);
        double a = pose.AngleDegrees * Math.PI / 180;
        double cos = Math.Cos(a) * s, sin = Math.Sin(a) * s;
        double cx = _width / 2.0 + pose.OffsetX * side, cy = _height / 2.0 + pose.OffsetY * side;
        double sx = source.Width / 2.0, sy = source.Height / 2.0;
        var m = _matrix!;
        // Written through the pointer: Mat.Set allocates per call, and this runs every frame.
        var p = (double*)m.Data;
        p[0] = cos; p[1] = -sin; p[2] = cx - cos * sx + sin * sy;
        p[3] = sin; p[4] = cos; p[5] = cy - sin * sx - cos * sy;
        Cv2.WarpAffine(source, destination, m, new Size(_width, _height), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.Black);
    }

    /// <summary>Black centre square (the dataset's background), a lit stage grid in the side bands.</summary>
    private static Mat RenderBackdrop(int width, int height)
    {
        var backdrop = new Mat(height, width, MatType.CV_8UC3, Scalar.Black);
        int side = Math.Min(width, height);
        int x0 = (width - side) / 2, y0 = (height - side) / 2;
        var grid = new Scalar(70, 45, 20);
        int step = Math.Max(8, side / 12);
        for (int x = 0; x < width; x += step) backdrop.Line(new Point(x, 0), new Point(x, height), grid, 1);
        for (int y = 0; y < height; y += step) backdrop.Line(new Point(0, y), new Point(width, y), grid, 1);
        backdrop.Rectangle(new Rect(x0, y0, side, side), Scalar.Black, -1);
        backdrop.Rectangle(new Rect(x0, y0, side, side), new Scalar(90, 60, 30), 1);
        double scale = side / 480.0;
        backdrop.PutText("DEMO", new Point(8, (int)(24 * scale) + 4), HersheyFonts.HersheySimplex, 0.6 * scale, new Scalar(140, 110, 70), 1, LineTypes.AntiAlias);
        return backdrop;
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _set?.Dispose();
        _backdrop?.Dispose();
        _warpA?.Dispose();
        _warpB?.Dispose();
        _matrix?.Dispose();
        _set = null;
        _backdrop = _warpA = _warpB = _matrix = null;
    }
}
