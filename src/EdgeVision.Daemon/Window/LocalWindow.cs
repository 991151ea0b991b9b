using System.Globalization;
using EdgeVision.Daemon.Control;
using EdgeVision.Daemon.Dataset;
using EdgeVision.Daemon.FrameLoop;
using EdgeVision.Daemon.Options;
using EdgeVision.Daemon.Teaching;
using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace EdgeVision.Daemon.Window;

/// <summary>
/// The game view: annotated video in an OpenCV HighGUI window on its own thread. The encode stage only
/// copies the newest frame of the shown source into a slot (latest wins), so a slow X server never slows
/// the frame loop. Keys: space pause, h HUD, m next model, s snapshot, c capture labelled frame,
/// t teach a model on the captured labels, 1–9 shown source, q quit.
/// </summary>
public sealed class LocalWindow(
    IOptions<WindowOptions> options,
    IOptions<DaemonOptions> daemonOptions,
    HudToggles hud,
    LoopControl loop,
    IDaemonControl control,
    LabelledFrameWriter captures,
    TeachJobs teaching,
    IHostApplicationLifetime lifetime,
    IHostEnvironment environment,
    ILogger<LocalWindow> logger) : IAnnotatedFrameSink, IHostedService, IDisposable
{
    private readonly WindowOptions _options = options.Value;
    private readonly object _gate = new();
    private readonly Mat _latest = new();
    private readonly Mat _shown = new();
    private readonly CancellationTokenSource _stop = new();
    private bool _fresh;
    private string? _topLabel;
    private volatile int _selected;
    private volatile bool _open;
    private Thread? _thread;
    private int _disposed;

    /// <summary>True when the window will be (or is) shown: enabled and a display is present.</summary>
    public bool WillOpen => _options.Enabled && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"));

    public bool IsOpen => _open;

    /// <summary>Index of the source shown.</summary>
    public int SelectedSource => _selected;

    public string StateDirectory => daemonOptions.Value.ResolveStateDirectory(environment.ContentRootPath);

    public void Publish(FrameReport report, ReadOnlySpan<byte> jpeg, Mat annotated, Mat raw)
    {
        if (!_open || report.SourceIndex != _selected) return;
        lock (_gate)
        {
            annotated.CopyTo(_latest);
            _topLabel = report.TopLabel;
            _fresh = true;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!WillOpen)
        {
            if (_options.Enabled) logger.LogDebug("No DISPLAY; the local window stays closed");
            return Task.CompletedTask;
        }
        _thread = new Thread(Run) { IsBackground = true, Name = "window" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(2));
        return Task.CompletedTask;
    }

    private void Run()
    {
        string title = _options.Title;
        try
        {
            Cv2.NamedWindow(title, WindowFlags.Normal | WindowFlags.KeepRatio);
            if (_options.FullScreen) Cv2.SetWindowProperty(title, WindowPropertyFlags.Fullscreen, 1);
            _open = true;
            logger.LogInformation("Window '{Title}' open", title);
            int waitMs = Math.Max(1, 1000 / _options.RefreshFps);
            var sized = default(Size);
            while (!_stop.IsCancellationRequested)
            {
                lock (_gate)
                {
                    if (_fresh)
                    {
                        _latest.CopyTo(_shown);
                        _fresh = false;
                    }
                }
                if (!_shown.Empty())
                {
                    // A Normal window opens at the toolkit's default size and crops, not scales, a larger image
                    // (320×240 of a 640×480 frame under Xvfb): size it to the frame whenever the frame size changes.
                    if (!_options.FullScreen && _shown.Size() != sized)
                    {
                        sized = _shown.Size();
                        Cv2.ResizeWindow(title, sized.Width, sized.Height);
                    }
                    Cv2.ImShow(title, _shown);
                }
                int key = Cv2.WaitKey(waitMs);
                if (key >= 0) OnKey(key & 0xFF);
            }
        }
        catch (OpenCVException e)
        {
            logger.LogError("The local window failed and is closed: {Error}", e.Message);
        }
        finally
        {
            _open = false;
            try { Cv2.DestroyWindow(title); } catch (OpenCVException) { }
        }
    }

    private void OnKey(int key)
    {
        switch ((char)key)
        {
            case ' ':
                logger.LogInformation(loop.TogglePause() ? "Paused" : "Resumed");
                break;
            case 'h':
                logger.LogInformation("HUD {State}", hud.ToggleVisible() ? "shown" : "hidden");
                break;
            case 'm':
                _ = control.SwitchToNextModelAsync(_stop.Token).ContinueWith(t =>
                {
                    if (t.IsCompletedSuccessfully && !t.Result.Success) logger.LogWarning("Model switch failed: {Error}", t.Result.Error);
                }, TaskScheduler.Default);
                break;
            case 's':
                Snapshot();
                break;
            case 'c':
                Capture();
                break;
            case 't':
                Teach();
                break;
            case 'q':
                logger.LogInformation("Quit from the window");
                lifetime.StopApplication();
                break;
            case >= '1' and <= '9':
                int index = key - '1';
                if (index < control.SourceNames.Count)
                {
                    _selected = index;
                    logger.LogInformation("Showing source {Source}", control.SourceNames[index]);
                }
                break;
        }
    }

    private void Snapshot()
    {
        if (_shown.Empty()) return;
        string directory = Path.Combine(StateDirectory, "snapshots");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture) + ".jpg");
        Cv2.ImWrite(path, _shown);
        logger.LogInformation("Snapshot saved to {Path}", path);
    }

    private void Capture()
    {
        string? label;
        lock (_gate) label = _options.CaptureLabel ?? _topLabel;
        if (label is null) return;
        using var raw = new Mat();
        if (!control.TryGetRawFrame(control.SourceNames[_selected], raw)) return;
        try
        {
            // The same writer (label rules, dataset root, temp file + rename, counts) as the HTTP capture endpoint.
            captures.Save(label, raw);
            logger.LogInformation("Captured a frame labelled {Label} under {Root}", label, captures.Root);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidLabelException)
        {
            logger.LogWarning("Capture failed: {Error}", e.Message);
        }
    }

    /// <summary>Starts a teach job on every captured label, as POST /api/teach with no body does; the outcome is logged.</summary>
    private void Teach()
    {
        var (job, _, error) = teaching.Start(null, null);
        if (job is null) logger.LogWarning("Teach not started: {Error}", error);
        else logger.LogInformation("Teach job {Job} started on {Labels}", job.Id, string.Join(", ", job.Labels));
    }

    public void Dispose()
    {
        // Registered as a sink and as a hosted service: the container disposes it once per registration.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        _latest.Dispose();
        _shown.Dispose();
        _stop.Dispose();
    }
}
