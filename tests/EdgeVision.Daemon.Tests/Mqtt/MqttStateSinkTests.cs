using System.Diagnostics;
using EdgeVision.Core.Model;
using EdgeVision.Daemon.FrameLoop;
using EdgeVision.Daemon.Models;
using EdgeVision.Daemon.Metrics;
using EdgeVision.Daemon.Mqtt;
using OpenCvSharp;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace EdgeVision.Daemon.Tests.Mqtt;

/// <summary>The state sink runs on the encode stage thread for every shown frame: what it costs and when it speaks.</summary>
public sealed class MqttStateSinkTests
{
    private static readonly string[] Labels = ["cat", "dog", "bird"];

    private static (MqttStateSink Sink, LatestWinsOutbox Outbox) NewSink(TimeSpan minInterval)
    {
        var outbox = new LatestWinsOutbox(new DaemonMetrics());
        var topics = new MqttTopics("edgevision/t", "homeassistant", "t");
        return (new MqttStateSink(outbox, topics, MsOptions.Create(new MqttOptions { Host = "b", MinInterval = minInterval })), outbox);
    }

    private static FrameReport Report(int top)
    {
        var report = new FrameReport("cam", 0, 2);
        Fill(report, top, sequence: 0);
        return report;
    }

    private static readonly ModelSummary Model = new("m.onnx", Labels, Precision.Fp32, "CPU", CenterCrop: false);

    private static void Fill(FrameReport report, int top, long sequence) => report.FillInferred(
        new FrameStamp(sequence, Stopwatch.GetTimestamp(), null), Model, [top, (top + 1) % Labels.Length], [0.9f, 0.1f], default, default);

    [Fact]
    public void A_frame_whose_top1_did_not_change_allocates_nothing_and_queues_nothing()
    {
        var (sink, outbox) = NewSink(TimeSpan.Zero);
        using var mat = new Mat();
        var report = Report(1);
        sink.Publish(report, [], mat, mat); // the first frame is worth a message
        outbox.TakeAllAsync(TimeSpan.Zero, CancellationToken.None).GetAwaiter().GetResult();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            Fill(report, top: 1, sequence: i);
            sink.Publish(report, [], mat, mat);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(0, outbox.Count);
    }

    [Fact]
    public void Each_change_of_the_top1_is_one_message_and_changes_inside_MinInterval_wait()
    {
        var (sink, outbox) = NewSink(TimeSpan.Zero);
        using var mat = new Mat();
        foreach (int top in new[] { 0, 0, 1, 1, 1, 2, 0 }) sink.Publish(Report(top), [], mat, mat);
        // Four changes (first, 0→1, 1→2, 2→0) on one topic: the outbox keeps the newest, three were superseded.
        Assert.Equal(3, outbox.Superseded);
        var pending = Assert.Single(outbox.TakeAllAsync(TimeSpan.Zero, CancellationToken.None).GetAwaiter().GetResult());
        Assert.Equal("edgevision/t/cam/state", pending.Topic);
        Assert.Contains("\"label\":\"cat\"", System.Text.Encoding.UTF8.GetString(pending.Payload));

        var (slow, slowOutbox) = NewSink(TimeSpan.FromHours(1));
        slow.Publish(Report(0), [], mat, mat);
        slow.Publish(Report(1), [], mat, mat);
        slow.Publish(Report(2), [], mat, mat);
        Assert.Equal(0, slowOutbox.Superseded);
        Assert.Equal(1, slowOutbox.Count);
    }
}
