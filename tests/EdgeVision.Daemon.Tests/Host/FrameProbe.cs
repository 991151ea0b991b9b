using System.Collections.Concurrent;
using EdgeVision.Daemon.FrameLoop;
using OpenCvSharp;

namespace EdgeVision.Daemon.Tests.Host;

/// <summary>A sink that records what the encode stage publishes: reports, and the last annotated/raw pair per source.</summary>
internal sealed class FrameProbe : IAnnotatedFrameSink
{
    public sealed record Seen(string Source, long Sequence, string? Top1, int TopCount, int? GroundTruth, int ClassCount,
        double InferenceMs, double EndToEndMs, int JpegBytes, bool JpegValid, int BatchSize, bool NoSignal = false);

    private readonly ConcurrentQueue<Seen> _seen = new();
    private readonly object _gate = new();
    private readonly Mat _lastAnnotated = new();
    private readonly Mat _lastRaw = new();

    public IReadOnlyList<Seen> All => _seen.ToArray();
    public int Count => _seen.Count;

    public void Publish(FrameReport report, ReadOnlySpan<byte> jpeg, Mat annotated, Mat raw)
    {
        bool valid = jpeg.Length > 4 && jpeg[0] == 0xFF && jpeg[1] == 0xD8 && jpeg[^2] == 0xFF && jpeg[^1] == 0xD9;
        _seen.Enqueue(new Seen(report.Source, report.Sequence, report.TopLabel, report.TopCount, report.GroundTruth,
            report.Labels.Count, report.Inference.Milliseconds, report.EndToEndMs, jpeg.Length, valid, report.Inference.BatchSize, report.NoSignal));
        lock (_gate)
        {
            annotated.CopyTo(_lastAnnotated);
            raw.CopyTo(_lastRaw);
        }
    }

    /// <summary>How many bytes of the last annotated frame differ from its raw frame (the HUD's pixels).</summary>
    public int HudPixelBytes()
    {
        lock (_gate)
        {
            if (_lastAnnotated.Empty() || _lastAnnotated.Size() != _lastRaw.Size()) return -1;
            using var diff = new Mat();
            Cv2.Absdiff(_lastAnnotated, _lastRaw, diff);
            using var grey = diff.CvtColor(ColorConversionCodes.BGR2GRAY);
            return Cv2.CountNonZero(grey);
        }
    }

    public async Task<bool> WaitForAsync(Func<IReadOnlyList<Seen>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition(All)) return true;
            await Task.Delay(50);
        }
        return condition(All);
    }
}
