using EdgeVision.Capture;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// The configured sources (section <c>Capture</c>), each run by a <see cref="SourceRunner"/> on its own thread;
/// with none configured, the first camera if /dev/video0 exists, else the demo source. Disposing releases
/// the cameras.
/// </summary>
public sealed class CaptureSources : IDisposable
{
    private readonly List<SourceRunner> _runners = [];

    public CaptureSources(IOptions<CaptureOptions> options, ILoggerFactory loggers)
        : this(Resolve(options.Value, File.Exists), (o, signal) => new SourceRunner(o, loggers.CreateLogger<SourceRunner>(), signal))
    {
    }

    /// <summary>For tests and the benchmark: runners made by <paramref name="create"/> sharing one <see cref="Signal"/>.</summary>
    public CaptureSources(IEnumerable<SourceOptions> sources, Func<SourceOptions, FrameSignal, SourceRunner> create)
    {
        foreach (var s in sources) _runners.Add(create(s, Signal));
    }

    /// <summary>Set whenever any source publishes a frame: the loop waits on it instead of polling.</summary>
    public FrameSignal Signal { get; } = new();

    public IReadOnlyList<SourceRunner> Runners => _runners;

    public IReadOnlyList<string> Names => _runners.Select(r => r.Name).ToList();

    public int IndexOf(string name) => _runners.FindIndex(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyList<SourceOptions> Resolve(CaptureOptions options, Func<string, bool> deviceExists) =>
        options.Sources.Count > 0
            ? options.Sources
            : [deviceExists("/dev/video0")
                ? new SourceOptions { Name = "camera0", Kind = SourceKind.Camera, Device = "/dev/video0" }
                : new SourceOptions { Name = "demo", Kind = SourceKind.Demo }];

    public void Dispose()
    {
        foreach (var r in _runners) r.Dispose();
        _runners.Clear();
        Signal.Dispose();
    }
}
