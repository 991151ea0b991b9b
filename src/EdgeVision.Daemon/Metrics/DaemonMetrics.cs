using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EdgeVision.Daemon.Metrics;

/// <summary>
/// The daemon's instruments on one <see cref="Meter"/> ("EdgeVision.Daemon"), so /metrics (Prometheus text through
/// OpenTelemetry's exporter), an OTLP collector and <c>dotnet-counters</c> read the same numbers. Instrument names are
/// the Prometheus names the viewer, the dashboards and docs/METRICS.md use, exported without suffixes.
/// Per-frame events (frames, latencies, batch sizes) are recorded on <see cref="Counter{T}"/> and
/// <see cref="Histogram{T}"/>; values the daemon also reads itself (stream clients, reloads, MQTT state) live in
/// Interlocked fields published by observable instruments (so each event is counted once), as are the families that
/// must read 0 before their first event (reloads, captures).
/// </summary>
public sealed class DaemonMetrics
{
    public const string MeterName = "EdgeVision.Daemon";

    /// <summary>Latency buckets in seconds: from well under a millisecond (TensorRT) to seconds (a stalled CPU).</summary>
    internal static readonly double[] LatencyBounds =
        [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];

    internal static readonly int[] BatchBounds = [1, 2, 4, 8, 16, 32, 64];

    private readonly Counter<long> _captured;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _inferred;
    private readonly Counter<long> _shown;
    private readonly Histogram<double> _inference;
    private readonly Histogram<double> _endToEnd;
    private readonly Histogram<int> _batchSize;
    private readonly ConcurrentDictionary<string, StreamCounters> _streams = new(StringComparer.Ordinal);
    private readonly MqttCounters _mqtt = new();
    private long _reloadsOk;
    private long _reloadsFailed;
    private long _connections;
    private long _capturesSaved;
    private ModelInfoLabels? _model;
    private Func<IReadOnlyList<EdgeVision.Capture.SourceStats>> _sourceStats = () => [];

    /// <summary>Instruments on the host's meter: each host (and each test host) gets its own through its factory.</summary>
    public DaemonMetrics(IMeterFactory meters) : this(meters.Create(MeterName))
    {
    }

    /// <summary>
    /// Instruments on a meter of their own, outside any host (a unit test of one stage): its scope is this
    /// object, so no host's listener takes it for its own.
    /// </summary>
    public DaemonMetrics() : this(new Meter(new MeterOptions(MeterName) { Scope = new object() }))
    {
    }

    private DaemonMetrics(Meter meter)
    {
        Meter = meter;
        _captured = meter.CreateCounter<long>("edgevision_frames_captured_total", "{frame}", "Frames read from each source.");
        _dropped = meter.CreateCounter<long>("edgevision_frames_dropped_total", "{frame}", "Frames a source produced that the frame loop never took (latest frame wins).");
        _inferred = meter.CreateCounter<long>("edgevision_frames_inferred_total", "{frame}", "Frames of each source that went through the model.");
        _shown = meter.CreateCounter<long>("edgevision_frames_shown_total", "{frame}", "Inferred frames drawn and encoded for viewers (at most FrameLoop:MaxViewFps per second).");
        SourceHealth.Register(meter, () => _sourceStats());
        _inference = meter.CreateHistogram("edgevision_inference_seconds", "s", "Time of one batched model run.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBounds });
        _endToEnd = meter.CreateHistogram("edgevision_end_to_end_seconds", "s", "Capture to annotated JPEG published.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBounds });
        _batchSize = meter.CreateHistogram("edgevision_batch_size", "{frame}", "Frames per model run.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBounds });

        PerStream(meter, "edgevision_stream_clients", gauge: true, "HTTP clients watching a stream now.", s => Interlocked.Read(ref s.Clients));
        PerStream(meter, "edgevision_stream_frames_skipped_total", gauge: false, "Frames stream clients skipped because they were busy sending an older one.", s => Interlocked.Read(ref s.Skipped));
        PerStream(meter, "edgevision_stream_clients_dropped_total", gauge: false, "Stream clients disconnected for not reading.", s => Interlocked.Read(ref s.DroppedClients));
        PerStream(meter, "edgevision_stream_clients_rejected_total", gauge: false, "Stream clients refused because the stream limit was reached.", s => Interlocked.Read(ref s.Rejected));
        PerStream(meter, "edgevision_stream_bytes_sent_total", gauge: false, "Frame and event bytes written to stream clients (payload, without HTTP or WebSocket framing).", s => Interlocked.Read(ref s.BytesSent));
        meter.CreateObservableUpDownCounter("edgevision_http_connections", () => Connections, "{connection}", "TCP connections the HTTP server holds open now.");

        meter.CreateObservableCounter("edgevision_model_reloads_total", () => new[]
        {
            new Measurement<long>(ReloadsSucceeded, new KeyValuePair<string, object?>("result", "ok")),
            new Measurement<long>(ReloadsFailed, new KeyValuePair<string, object?>("result", "failed")),
        }, "{reload}", "Model loads and switches by outcome.");
        // Observable over a field so the family reads 0 from the start, as it always has, not absent until the first capture.
        meter.CreateObservableCounter("edgevision_captures_saved_total", () => Interlocked.Read(ref _capturesSaved), "{frame}", "Labelled frames written to the dataset.");
        meter.CreateObservableGauge("edgevision_model_info", ModelInfo, null, "The model and execution provider serving now.");

        _mqtt.Register(meter);
        RuntimeInstruments.Register(meter);
    }

    /// <summary>The meter every instrument above is on (tests and listeners pick it by reference).</summary>
    public Meter Meter { get; }

    /// <summary>Count and sum of <c>edgevision_inference_seconds</c> for readers in this process (the daemon benchmark).</summary>
    public RunningTotal InferenceSeconds { get; } = new();

    public void FrameCaptured(string source, long count = 1) => _captured.Add(count, MetricTags.Source(source));

    public void FramesDropped(string source, long count = 1) => _dropped.Add(count, MetricTags.Source(source));

    public void FrameInferred(string source, long count = 1) => _inferred.Add(count, MetricTags.Source(source));

    /// <summary>An inferred frame handed to the view (HUD, JPEG, streams); the others were held by FrameLoop:MaxViewFps.</summary>
    public void FrameShown(string source) => _shown.Add(1, MetricTags.Source(source));

    public void ObserveInference(double milliseconds)
    {
        double seconds = milliseconds / 1000.0;
        _inference.Record(seconds);
        InferenceSeconds.Add(seconds);
    }

    public void ObserveEndToEnd(double milliseconds) => _endToEnd.Record(milliseconds / 1000.0);

    public void ObserveBatchSize(int frames) => _batchSize.Record(frames);

    public void ModelReloaded(bool succeeded) => Interlocked.Increment(ref succeeded ? ref _reloadsOk : ref _reloadsFailed);

    /// <summary>The model and execution provider now serving, exposed as an info gauge.</summary>
    public void SetModel(string provider, string model, string precision) =>
        Volatile.Write(ref _model, new ModelInfoLabels(provider, model, precision));

    public long ReloadsSucceeded => Interlocked.Read(ref _reloadsOk);
    public long ReloadsFailed => Interlocked.Read(ref _reloadsFailed);

    public void CaptureSaved() => Interlocked.Increment(ref _capturesSaved);

    internal void StreamClientOpened(string kind) => Interlocked.Increment(ref Stream(kind).Clients);

    internal void StreamClientClosed(string kind) => Interlocked.Decrement(ref Stream(kind).Clients);

    internal void StreamFramesSkipped(string kind, long count) => Interlocked.Add(ref Stream(kind).Skipped, count);

    internal void StreamClientDropped(string kind) => Interlocked.Increment(ref Stream(kind).DroppedClients);

    internal void StreamBytesSent(string kind, long bytes) => Interlocked.Add(ref Stream(kind).BytesSent, bytes);

    internal void ConnectionOpened() => Interlocked.Increment(ref _connections);

    internal void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    /// <summary>TCP connections Kestrel holds open now (every client, keep-alive and upgraded ones included).</summary>
    public long Connections => Interlocked.Read(ref _connections);

    public long StreamBytesSentTotal(string kind) => _streams.TryGetValue(kind, out var s) ? Interlocked.Read(ref s.BytesSent) : 0;

    internal void StreamClientRejected(string kind) => Interlocked.Increment(ref Stream(kind).Rejected);

    public long StreamClients(string kind) => _streams.TryGetValue(kind, out var s) ? Interlocked.Read(ref s.Clients) : 0;

    public long StreamClientsDropped(string kind) => _streams.TryGetValue(kind, out var s) ? Interlocked.Read(ref s.DroppedClients) : 0;

    public long StreamFramesSkippedTotal(string kind) => _streams.TryGetValue(kind, out var s) ? Interlocked.Read(ref s.Skipped) : 0;

    /// <summary>The MQTT publisher connected (<paramref name="reconnect"/>: not for the first time) or lost its broker.</summary>
    public void MqttConnected(bool connected, bool reconnect)
    {
        Interlocked.Exchange(ref _mqtt.Connected, connected ? 1 : 0);
        if (connected && reconnect) Interlocked.Increment(ref _mqtt.Reconnects);
    }

    public void MqttConnectFailed() => Interlocked.Increment(ref _mqtt.ConnectFailures);

    public void MqttPublished(Mqtt.MessageKind kind) => Interlocked.Increment(ref _mqtt.Published[(int)kind]);

    public void MqttPublishFailed() => Interlocked.Increment(ref _mqtt.PublishFailures);

    public void MqttMessageSuperseded() => Interlocked.Increment(ref _mqtt.Superseded);

    public void MqttQueued(long messages) => Interlocked.Exchange(ref _mqtt.Queued, messages);

    public long MqttReconnects => Interlocked.Read(ref _mqtt.Reconnects);

    public long MqttPublishedTotal(Mqtt.MessageKind kind) => Interlocked.Read(ref _mqtt.Published[(int)kind]);

    /// <summary>Where the per-source health (up, reconnects, last-frame age) is read from at collection time.</summary>
    public void ReadSourceHealthFrom(Func<IReadOnlyList<EdgeVision.Capture.SourceStats>> sources) => _sourceStats = sources;

    private IEnumerable<Measurement<int>> ModelInfo()
    {
        if (Volatile.Read(ref _model) is not { } model) return [];
        return
        [
            new Measurement<int>(1, new KeyValuePair<string, object?>("provider", model.Provider),
                new KeyValuePair<string, object?>("model", model.Model), new KeyValuePair<string, object?>("precision", model.Precision)),
        ];
    }

    private void PerStream(Meter meter, string name, bool gauge, string help, Func<StreamCounters, long> field)
    {
        IEnumerable<Measurement<long>> Observe() =>
            _streams.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new Measurement<long>(field(p.Value), MetricTags.Stream(p.Key))).ToArray();
        if (gauge) meter.CreateObservableUpDownCounter(name, Observe, "{client}", help);
        else meter.CreateObservableCounter(name, Observe, null, help);
    }

    private StreamCounters Stream(string kind) =>
        _streams.TryGetValue(kind, out var c) ? c : _streams.GetOrAdd(kind, _ => new StreamCounters());

    private sealed record ModelInfoLabels(string Provider, string Model, string Precision);

    private sealed class StreamCounters
    {
        public long Clients;
        public long Skipped;
        public long DroppedClients;
        public long Rejected;
        public long BytesSent;
    }
}
