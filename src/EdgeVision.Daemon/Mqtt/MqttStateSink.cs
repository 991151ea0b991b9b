using System.Diagnostics;
using EdgeVision.Daemon.FrameLoop;
using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace EdgeVision.Daemon.Mqtt;

/// <summary>
/// Turns shown frames into <c>&lt;prefix&gt;/&lt;source&gt;/state</c> messages: one when a source's smoothed top-1
/// changes (or it loses or regains its signal), at most every Mqtt:MinInterval. A frame that changes nothing
/// costs one comparison and allocates nothing; the message goes to the outbox, never to the network from here.
/// </summary>
public sealed class MqttStateSink(LatestWinsOutbox outbox, MqttTopics topics, IOptions<MqttOptions> options) : IAnnotatedFrameSink
{
    private readonly long _minInterval = (long)(options.Value.MinInterval.TotalSeconds * Stopwatch.Frequency);
    private readonly bool _retain = options.Value.Retain;
    private readonly Dictionary<int, LastState> _last = [];

    public void Publish(FrameReport report, ReadOnlySpan<byte> jpeg, Mat annotated, Mat raw)
    {
        string? label = report.TopLabel;
        if (!_last.TryGetValue(report.SourceIndex, out var last))
        {
            _last[report.SourceIndex] = last = new LastState(topics.State(report.Source));
        }
        // Labels compared by reference: the same model's label list gives the same string instances, and a new
        // model (whose labels are new strings) is worth a message anyway.
        if (last.Published && ReferenceEquals(label, last.Label) && report.NoSignal == last.NoSignal) return;
        long now = Stopwatch.GetTimestamp();
        if (last.Published && now - last.At < _minInterval) return;
        last.Published = true;
        last.Label = label;
        last.NoSignal = report.NoSignal;
        last.At = now;
        var wallNow = DateTimeOffset.UtcNow;
        var capturedAt = wallNow - Stopwatch.GetElapsedTime(report.CapturedAt, now);
        outbox.Offer(new OutgoingMessage(last.Topic, MqttPayloads.State(report, capturedAt, wallNow), _retain, MessageKind.State));
    }

    private sealed class LastState(string topic)
    {
        public readonly string Topic = topic;
        public bool Published;
        public string? Label;
        public bool NoSignal;
        public long At;
    }
}
