using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVision.Capture;

/// <summary>
/// Runs one source: a dedicated capture thread fills the source's <see cref="LatestFrameSlot"/>; a supervisor timer,
/// outside that thread, notices when no frame arrived for StallTimeout (a hung read cannot watch itself), abandons
/// the attempt and starts a fresh one. Any failure disposes the source and reopens it after a capped exponential
/// backoff with jitter; meanwhile the slot shows a NO SIGNAL frame. Credentials never reach the logs.
/// </summary>
public sealed class SourceRunner : IDisposable
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(3);

    private readonly ILogger _logger;
    private readonly Func<SourceOptions, FrameSource> _factory;
    private readonly ISourceClock _clock;
    private readonly Backoff _backoff;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly object _noSignalGate = new();
    private readonly string _displayName;
    private CapturedFrame _noSignalBack = new();
    private readonly OpenCvSharp.Mat _noSignalImage = new();
    private Timer? _supervisor;
    private Attempt? _current;
    private int _attempts;
    private bool _started;
    private bool _disposed;

    private long _captured;
    private long _reopens;
    private long _lastProgress;
    private long _lastFrameTimestamp;
    private int _lastWidth;
    private int _lastHeight;
    private volatile string? _lastError;
    private volatile SourceState _state = SourceState.Connecting;
    private long _fpsSampleTimestamp;
    private long _fpsSampleCaptured;
    private double _fps;

    public SourceRunner(
        SourceOptions options,
        ILogger<SourceRunner>? logger = null,
        FrameSignal? signal = null,
        Func<SourceOptions, FrameSource>? sourceFactory = null,
        ISourceClock? clock = null,
        Random? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Errors();
        if (errors.Count > 0) throw new ArgumentException(UrlRedactor.Redact(string.Join("; ", errors)), nameof(options));
        Options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _factory = sourceFactory ?? FrameSourceFactory.Create;
        _clock = clock ?? SystemSourceClock.Instance;
        _backoff = new Backoff(options.BackoffInitial, options.BackoffMax, 0.2, jitter);
        _displayName = UrlRedactor.Redact(options.Name);
        Slot = new LatestFrameSlot(options.Name, signal);
    }

    public SourceOptions Options { get; }

    public string Name => Options.Name;

    /// <summary>The frames of this source; the frame loop takes from here.</summary>
    public LatestFrameSlot Slot { get; }

    public SourceState State => _state;

    /// <summary>Times the source was torn down to be reopened (failures and stalls).</summary>
    public long Reopens => Interlocked.Read(ref _reopens);

    public long Captured => Interlocked.Read(ref _captured);

    public string? LastError => _lastError;

    public SourceStats GetStats() => new(
        Name,
        _state,
        Volatile.Read(ref _fps),
        Captured,
        Slot.Dropped,
        Reopens,
        _lastError,
        Interlocked.Read(ref _lastFrameTimestamp));

    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started) throw new InvalidOperationException($"source '{_displayName}' is already started");
            _started = true;
            _fpsSampleTimestamp = _clock.GetTimestamp();
            StartAttempt(TimeSpan.Zero);
            var period = TimeSpan.FromTicks(Math.Clamp(Options.StallTimeout.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(1).Ticks));
            _supervisor = new Timer(static s => ((SourceRunner)s!).Supervise(), this, period, period);
        }
    }

    /// <summary>Stops capture, interrupts a hung read and waits (bounded) for the capture thread.</summary>
    public void Stop()
    {
        Attempt? current;
        lock (_gate)
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            _supervisor?.Dispose();
            _supervisor = null;
            current = _current;
            _current = null;
        }
        if (current is not null)
        {
            current.Interrupt();
            if (!current.Thread.Join(JoinTimeout))
                _logger.LogWarning("Source {Source}: capture thread did not stop within {Timeout}; abandoning it", _displayName, JoinTimeout);
        }
        _state = SourceState.Stopped;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        Stop();
        Slot.Dispose();
        lock (_noSignalGate)
        {
            _noSignalBack.Dispose();
            _noSignalImage.Dispose();
        }
        _stop.Dispose();
    }

    private void StartAttempt(TimeSpan initialDelay)
    {
        var attempt = new Attempt(++_attempts, CancellationTokenSource.CreateLinkedTokenSource(_stop.Token));
        attempt.Thread = new Thread(() => CaptureLoop(attempt, initialDelay))
        {
            IsBackground = true,
            Name = $"capture:{_displayName}#{attempt.Id}",
        };
        _current = attempt;
        Interlocked.Exchange(ref _lastProgress, _clock.GetTimestamp());
        _state = SourceState.Connecting;
        attempt.Thread.Start();
    }

    private void CaptureLoop(Attempt attempt, TimeSpan initialDelay)
    {
        var token = attempt.Token;
        var back = LatestFrameSlot.CreateBackBuffer();
        try
        {
            if (initialDelay > TimeSpan.Zero && !_clock.Delay(initialDelay, token)) return;
            while (!token.IsCancellationRequested)
            {
                _state = SourceState.Connecting;
                Interlocked.Exchange(ref _lastProgress, _clock.GetTimestamp());
                var end = RunOnce(attempt, ref back);
                if (token.IsCancellationRequested) return;
                // The frame goes out before the state changes: whoever sees Ended/NoSignal finds that frame.
                if (end.Kind == AttemptEndKind.EndOfStream)
                {
                    PublishNoSignal();
                    _state = SourceState.Ended;
                    _logger.LogInformation("Source {Source}: end of stream", _displayName);
                    return;
                }
                string failure = end.Failure ?? "the source stopped without an error";
                _lastError = failure;
                Interlocked.Increment(ref _reopens);
                PublishNoSignal();
                _state = SourceState.NoSignal;
                TimeSpan delay = NextDelay();
                _logger.LogWarning("Source {Source}: {Error}; reopening in {DelayMs:F0} ms", _displayName, failure, delay.TotalMilliseconds);
                if (!_clock.Delay(delay, token)) return;
            }
        }
        catch (Exception ex)
        {
            // The loop itself must never take the process down; the supervisor sees the silence and restarts it.
            _lastError = UrlRedactor.Redact(ex.Message);
            _logger.LogError("Source {Source}: capture loop failed: {Error}", _displayName, _lastError);
        }
        finally
        {
            back.Dispose();
            attempt.Release();
        }
    }

    /// <summary>Opens the source and reads until it fails, ends or the attempt is cancelled.</summary>
    private AttemptEnd RunOnce(Attempt attempt, ref CapturedFrame back)
    {
        var token = attempt.Token;
        FrameSource? source = null;
        try
        {
            source = _factory(Options);
            attempt.Source = source;
            source.Open(token);
            _logger.LogInformation("Source {Source}: opened {Description}", _displayName, source.Description);
            bool first = true;
            while (!token.IsCancellationRequested)
            {
                back.GroundTruth = null;
                var status = source.Read(back, token);
                if (token.IsCancellationRequested) return AttemptEnd.Stopped;
                if (status == FrameReadStatus.EndOfStream)
                    return source.IsLive ? AttemptEnd.Failed("the stream ended") : AttemptEnd.EndOfStream;
                if (back.Image.Empty() || back.Image.Type() != OpenCvSharp.MatType.CV_8UC3)
                    return AttemptEnd.Failed($"the source produced an unusable frame ({back.Image.Width}x{back.Image.Height} {back.Image.Type()})");
                long now = _clock.GetTimestamp();
                back.Sequence = Interlocked.Increment(ref _captured);
                back.Timestamp = now;
                back.SourceName = Name;
                back.IsNoSignal = false;
                _lastWidth = back.Image.Width;
                _lastHeight = back.Image.Height;
                Interlocked.Exchange(ref _lastProgress, now);
                Interlocked.Exchange(ref _lastFrameTimestamp, now);
                Slot.Publish(ref back);
                if (first)
                {
                    first = false;
                    lock (_backoff) _backoff.Reset();
                    _state = SourceState.Live;
                    _lastError = null;
                    _logger.LogInformation("Source {Source}: live ({Width}x{Height})", _displayName, _lastWidth, _lastHeight);
                }
            }
            return AttemptEnd.Stopped;
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
            return AttemptEnd.Stopped;
        }
        catch (Exception ex)
        {
            return AttemptEnd.Failed(UrlRedactor.Redact(ex.Message));
        }
        finally
        {
            attempt.Source = null;
            try
            {
                source?.Dispose();
            }
            catch (Exception ex)
            {
                _logger.LogWarning("Source {Source}: closing failed: {Error}", _displayName, UrlRedactor.Redact(ex.Message));
            }
        }
    }

    private TimeSpan NextDelay()
    {
        lock (_backoff) return _backoff.Next();
    }

    private void Supervise()
    {
        try
        {
            long now = _clock.GetTimestamp();
            // Timer callbacks may overlap when one runs long; everything below is serialized by the gate.
            lock (_gate)
            {
                UpdateFps(now);
                if (_stop.IsCancellationRequested || _current is null) return;
                var state = _state;
                if (state is not (SourceState.Connecting or SourceState.Live)) return;
                long silent = now - Interlocked.Read(ref _lastProgress);
                if (silent < Options.StallTimeout.TotalSeconds * Stopwatch.Frequency) return;

                var stalled = _current;
                _current = null;
                stalled.Interrupt();
                string what = state == SourceState.Live ? "no frame" : "no first frame";
                _lastError = $"{what} for {Options.StallTimeout.TotalSeconds:0.###} s (stalled)";
                Interlocked.Increment(ref _reopens);
                PublishNoSignal();
                _state = SourceState.NoSignal;
                TimeSpan delay = NextDelay();
                _logger.LogWarning("Source {Source}: {Error}; abandoning the read and reopening in {DelayMs:F0} ms", _displayName, _lastError, delay.TotalMilliseconds);
                StartAttempt(delay);
                _state = SourceState.NoSignal;
                // The new attempt's backoff delay is not silence: do not count it towards the next stall.
                Interlocked.Exchange(ref _lastProgress, now + (long)(delay.TotalSeconds * Stopwatch.Frequency));
            }
        }
        catch (Exception ex)
        {
            _logger.LogError("Source {Source}: supervisor failed: {Error}", _displayName, UrlRedactor.Redact(ex.Message));
        }
    }

    private void UpdateFps(long now)
    {
        long elapsed = now - _fpsSampleTimestamp;
        if (elapsed < Stopwatch.Frequency / 2) return;
        long captured = Captured;
        Volatile.Write(ref _fps, (captured - _fpsSampleCaptured) * (double)Stopwatch.Frequency / elapsed);
        _fpsSampleCaptured = captured;
        _fpsSampleTimestamp = now;
    }

    private void PublishNoSignal()
    {
        lock (_noSignalGate)
        {
            if (_disposed) return;
            int width = Options.Width > 0 ? Options.Width : _lastWidth > 0 ? _lastWidth : 640;
            int height = Options.Height > 0 ? Options.Height : _lastHeight > 0 ? _lastHeight : 480;
            if (_noSignalImage.Width != width || _noSignalImage.Height != height)
                NoSignalFrame.Render(_noSignalImage, width, height, Options.Name);
            _noSignalImage.CopyTo(_noSignalBack.Image);
            _noSignalBack.Sequence = Captured;
            _noSignalBack.Timestamp = _clock.GetTimestamp();
            _noSignalBack.SourceName = Name;
            _noSignalBack.GroundTruth = null;
            _noSignalBack.IsNoSignal = true;
            Slot.Publish(ref _noSignalBack);
        }
    }

    private sealed class Attempt(int id, CancellationTokenSource cts)
    {
        public int Id { get; } = id;
        public CancellationToken Token { get; } = cts.Token;
        public Thread Thread { get; set; } = null!;
        public volatile FrameSource? Source;

        public void Release() => cts.Dispose();

        public void Interrupt()
        {
            try
            {
                cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
            try
            {
                Source?.Interrupt();
            }
            catch (Exception)
            {
                // Interrupt is best effort on a source that may be mid-dispose on its own thread.
            }
        }
    }
}
