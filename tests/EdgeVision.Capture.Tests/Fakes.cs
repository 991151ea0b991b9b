using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OpenCvSharp;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace EdgeVision.Capture.Tests;

/// <summary>A scripted source: fails to open the first N times, can fail or hang on a chosen read, counts disposals.</summary>
internal sealed class FakeSource : FrameSource
{
    private readonly FakeScript _script;
    private int _reads;

    public FakeSource(FakeScript script)
        : base("fake " + script.Description)
    {
        _script = script;
    }

    public override bool IsLive => _script.Live;

    public override void Open(CancellationToken cancellationToken)
    {
        int opens = Interlocked.Increment(ref _script.Opens);
        if (opens <= _script.FailOpens) throw new SourceException(_script.OpenError ?? $"open {opens} failed");
        if (opens > 1) _script.Reopen.Wait(cancellationToken);
    }

    public override FrameReadStatus Read(CapturedFrame frame, CancellationToken cancellationToken)
    {
        _reads++;
        if (_script.HangOnReadOfOpen == Volatile.Read(ref _script.Opens))
        {
            Interlocked.Increment(ref _script.Hangs);
            // Ignores the token on purpose: a native read that hangs cannot be cancelled either.
            _script.Release.Wait();
            throw new SourceException("released after hanging");
        }
        if (_script.FailAfterReads is { } n && _reads > n && Volatile.Read(ref _script.Opens) == _script.FailReadsOnOpen)
            throw new SourceException("read failed");
        if (_script.EndAfterReads is { } e && _reads > e) return FrameReadStatus.EndOfStream;
        if (frame.Image.Empty()) frame.Image.Create(48, 64, MatType.CV_8UC3);
        frame.Image.SetTo(new Scalar(_reads % 256, 0, 0));
        frame.GroundTruth = _reads % 10;
        Thread.Sleep(2);
        return FrameReadStatus.Frame;
    }

    protected override void Dispose(bool disposing) => Interlocked.Increment(ref _script.Disposals);
}

internal sealed class FakeScript
{
    public string Description = "source";
    public bool Live = true;
    public int FailOpens;
    public string? OpenError;
    public int? FailAfterReads;
    public int FailReadsOnOpen = -1;
    public int? EndAfterReads;
    public int HangOnReadOfOpen = -1;
    public readonly ManualResetEventSlim Release = new(false);
    /// <summary>Every open after the first waits for this (set by default): lets a test look at the slot before frames resume.</summary>
    public readonly ManualResetEventSlim Reopen = new(true);
    public int Opens;
    public int Hangs;
    public int Disposals;
}

/// <summary>Real time for timestamps, but delays return at once and are recorded, so backoff ladders run instantly.</summary>
internal sealed class RecordingClock : ISourceClock
{
    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public long GetTimestamp() => System.Diagnostics.Stopwatch.GetTimestamp();

    public bool Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        Delays.Enqueue(delay);
        Thread.Sleep(1);
        return !cancellationToken.IsCancellationRequested;
    }
}

internal sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Messages.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
        if (state is IEnumerable<KeyValuePair<string, object?>> fields)
        {
            foreach (var field in fields) Messages.Enqueue($"{field.Key}={field.Value}");
        }
    }
}

internal static class Wait
{
    public static void Until(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.ElapsedMilliseconds > timeoutMs) throw new TimeoutException($"timed out waiting for {what}");
            Thread.Sleep(5);
        }
    }
}
