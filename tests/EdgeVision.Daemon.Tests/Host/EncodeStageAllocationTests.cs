using System.Diagnostics;
using System.Text;
using EdgeVision.Daemon.FrameLoop;
using EdgeVision.Daemon.Http;
using EdgeVision.Core.Model;
using EdgeVision.Daemon.Metrics;
using EdgeVision.Daemon.Models;
using EdgeVision.Daemon.Streaming;
using EdgeVision.Overlay;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace EdgeVision.Daemon.Tests.Host;

/// <summary>
/// The stage after inference (HUD, JPEG, stream hub) runs once per frame per source, so what it allocates is
/// paid hundreds of times a second. These tests count the managed bytes its thread allocates in steady state
/// with the real HUD, encoder and hub.
/// </summary>
public sealed class EncodeStageAllocationTests
{
    private static readonly string[] Labels =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    [Fact]
    public void Hud_jpeg_and_hub_allocate_under_a_kilobyte_per_frame_without_viewers()
    {
        var (hub, stage) = NewStage();
        using (stage)
        {
            using var frame = Frame();
            var raw = new Mat();
            var report = Report();
            try
            {
                long sequence = 0;
                Publish(stage, frame, ref raw, ref report, ref sequence, 40);
                long before = SettledAllocation(stage);
                const int Frames = 300;
                Publish(stage, frame, ref raw, ref report, ref sequence, Frames);
                long perFrame = (SettledAllocation(stage) - before) / Frames;

                Assert.True(perFrame <= 1024, $"encode stage allocated {perFrame} managed bytes per frame");
                // The prediction still reaches a reader that asks for it: serialized on demand.
                var (source, json) = Assert.Single(hub.LatestPredictions());
                Assert.Equal("cam", source);
                Assert.Contains("\"label\":\"Bag\"", Encoding.UTF8.GetString(json));
                Assert.Contains($"\"sequence\":{sequence}", Encoding.UTF8.GetString(json));
            }
            finally
            {
                raw.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_subscribed_client_still_receives_every_prediction_serialized_once_for_all()
    {
        var (hub, stage) = NewStage();
        using (stage)
        {
            using var frame = Frame();
            var raw = new Mat();
            var report = Report();
            using var first = hub.Subscribe();
            using var second = hub.Subscribe();
            try
            {
                long sequence = 0;
                Publish(stage, frame, ref raw, ref report, ref sequence, 5);
                var a = new List<byte[]>();
                var b = new List<byte[]>();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                while (a.Count < 5) a.Add((await first.Events.ReadAsync(timeout.Token)).Json);
                while (b.Count < 5) b.Add((await second.Events.ReadAsync(timeout.Token)).Json);

                for (int i = 0; i < 5; i++)
                {
                    Assert.Same(a[i], b[i]);
                    Assert.Contains($"\"sequence\":{i + 1}", Encoding.UTF8.GetString(a[i]));
                }
            }
            finally
            {
                raw.Dispose();
            }
        }
    }

    private static (StreamHub Hub, EncodeStage Stage) NewStage()
    {
        var metrics = new DaemonMetrics();
        var hub = new StreamHub(new HttpOptions().JpegQuality, metrics);
        var hud = new HudToggles(MsOptions.Create(new HudOptions()));
        var stage = new EncodeStage(["cam"], 5, 80, hud, new LatestRawFrames(1), [new StreamHubSink(hub, metrics)], NullLogger.Instance);
        return (hub, stage);
    }

    private static Mat Frame()
    {
        var frame = new Mat(480, 640, MatType.CV_8UC3);
        Cv2.Randu(frame, new Scalar(0, 0, 0), new Scalar(255, 255, 255));
        return frame;
    }

    private static readonly ModelSummary Model = new("resnet20", Labels, Precision.Fp32, "CPU", CenterCrop: true);

    private static FrameReport Report() => new("cam", 0, 5);

    /// <summary>What the loop fills for an inferred frame: the top 5 with the true class (Bag) first.</summary>
    private static void Fill(FrameReport report, long sequence) => report.FillInferred(
        new FrameStamp(sequence, Stopwatch.GetTimestamp(), GroundTruth: 8), Model,
        [8, 5, 7, 0, 9], [0.81f, 0.1f, 0.05f, 0.03f, 0.01f], new InferenceTiming(1.9, 1), new SourceRate(240, 0));

    /// <summary>Offers frames one at a time, each after the stage published the previous one (none skipped).</summary>
    private static void Publish(EncodeStage stage, Mat frame, ref Mat raw, ref FrameReport report, ref long sequence, int count)
    {
        for (int i = 0; i < count; i++)
        {
            frame.CopyTo(raw);
            Fill(report, ++sequence);
            long published = stage.Published;
            stage.Offer(0, ref raw, ref report);
            var deadline = Stopwatch.StartNew();
            while (stage.Published == published)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the encode stage stopped publishing");
                Thread.Yield();
            }
        }
    }

    /// <summary>The stage records its thread's allocation each time round its loop; it idles every 100 ms.</summary>
    private static long SettledAllocation(EncodeStage stage)
    {
        Thread.Sleep(250);
        return stage.ThreadAllocations.Bytes;
    }
}
