using System.Collections.Concurrent;
using EdgeVision.Daemon.Http;
using EdgeVision.Daemon.Metrics;
using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace EdgeVision.Daemon.Streaming;

/// <summary>
/// Where the frame loop leaves each source's newest annotated JPEG and prediction, and where HTTP clients pick
/// them up. Publishing copies bytes and returns: it never waits on a client, however slow.
/// </summary>
public sealed class StreamHub
{
    private readonly ConcurrentDictionary<string, SourceStreams> _sources = new(StringComparer.Ordinal);
    private readonly object _subscribersGate = new();
    private EventSubscription[] _subscribers = [];
    private readonly int _jpegQuality;

    /// <param name="rawJpegQuality">Quality of the raw stream's JPEG, encoded here only while somebody watches it.</param>
    public StreamHub(int rawJpegQuality, DaemonMetrics metrics)
    {
        _jpegQuality = rawJpegQuality;
        Metrics = metrics;
    }

    /// <summary>The event type of predictions, on both event channels.</summary>
    public const string PredictionEventType = "prediction";

    public DaemonMetrics Metrics { get; }

    /// <summary>Sources that have published at least one frame or prediction.</summary>
    public IReadOnlyList<string> Sources => [.. _sources.Keys];

    /// <summary>Event clients currently subscribed (server-sent events and live WebSocket connections).</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>
    /// Called by the frame loop once per frame per source. The JPEG is copied into a recycled buffer; the raw
    /// frame is encoded only while somebody watches the raw stream.
    /// </summary>
    public void PublishFrame(string source, long sequence, ReadOnlySpan<byte> annotatedJpeg, Mat rawBgr)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        var streams = GetOrAdd(source);
        streams.Annotated.Publish(annotatedJpeg, sequence);
        if (streams.Raw.ReaderCount > 0 && rawBgr is { IsDisposed: false } && !rawBgr.Empty())
        {
            Cv2.ImEncode(".jpg", rawBgr, out byte[] rawJpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, _jpegQuality));
            streams.Raw.Publish(rawJpeg, sequence);
        }
    }

    /// <summary>
    /// Called by the encode stage with each shown frame of a source. The prediction is stored as values; it is
    /// serialized here only while server-sent-events clients are subscribed (once for all of them), otherwise
    /// when <see cref="LatestPredictions"/> is asked for it.
    /// </summary>
    public void PublishPrediction(in PredictionUpdate update)
    {
        ArgumentException.ThrowIfNullOrEmpty(update.Source);
        var snapshot = GetOrAdd(update.Source).LatestPrediction;
        snapshot.Store(update);
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0) return;
        var e = new ServerEvent(PredictionEventType, snapshot.Json()!);
        foreach (var subscriber in subscribers) subscriber.Offer(e);
    }

    /// <summary>
    /// Hands any other event (a <paramref name="type"/> such as <c>teach</c>, and its UTF-8 JSON document) to every
    /// subscriber: <c>/api/events</c> sends it as <c>event: {type}</c> and <c>/api/live</c> as a <c>{type}\n{json}</c>
    /// text message, so a new event type reaches both without either knowing it.
    /// </summary>
    public void PublishEvent(string type, byte[] json)
    {
        if (ServerEvent.TypeError(type) is { } error) throw new ArgumentException(error, nameof(type));
        ArgumentNullException.ThrowIfNull(json);
        // One line: a server-sent event ends at the first blank line, and JSON only needs line breaks for indentation.
        if (json.AsSpan().IndexOfAny((byte)'\n', (byte)'\r') >= 0)
            throw new ArgumentException($"the JSON of a '{type}' event must be on one line (serialize it without indentation)", nameof(json));
        var e = new ServerEvent(type, json);
        foreach (var subscriber in Volatile.Read(ref _subscribers)) subscriber.Offer(e);
    }

    /// <summary>UTF-8 JSON of each source's newest prediction.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> LatestPredictions()
    {
        var result = new List<KeyValuePair<string, byte[]>>();
        foreach (var (name, streams) in _sources)
        {
            if (streams.LatestPrediction.Json() is { } json) result.Add(new(name, json));
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return result;
    }

    public EventSubscription Subscribe()
    {
        var subscription = new EventSubscription(Unsubscribe);
        lock (_subscribersGate) _subscribers = [.. _subscribers, subscription];
        return subscription;
    }

    /// <summary>The newest JPEG of a stream as a fresh array (for snapshots), or null before the first frame.</summary>
    public byte[]? Snapshot(string source, StreamKind kind = StreamKind.Annotated)
    {
        if (!_sources.TryGetValue(source, out var streams)) return null;
        var frame = streams.Feed(kind).AcquireLatest();
        if (frame is null) return null;
        try { return frame.Bytes.ToArray(); }
        finally { frame.Release(); }
    }

    internal bool HasSource(string source) => _sources.ContainsKey(source);

    /// <summary>Streams of a source, created on demand so a client may connect before its first frame.</summary>
    internal SourceStreams GetOrAdd(string source) =>
        _sources.TryGetValue(source, out var streams) ? streams : _sources.GetOrAdd(source, name => new SourceStreams(name, _jpegQuality));

    private void Unsubscribe(EventSubscription subscription)
    {
        lock (_subscribersGate) _subscribers = [.. _subscribers.Where(s => s != subscription)];
    }
}
