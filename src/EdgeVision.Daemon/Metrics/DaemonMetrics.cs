using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace EdgeVision.Daemon.Metrics;

/// <summary>
/// The daemon's counters and histograms, updated by the frame loop and the HTTP endpoints without locks or
/// per-frame allocation, and written as Prometheus text on scrape.
/// </summary>
public sealed class DaemonMetrics
{
    /// <summary>Latency buckets in seconds: from well under a millisecond (TensorRT) to seconds (a stalled CPU).</summary>
    private static readonly double[] LatencyBounds =
        [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];

    private static readonly double[] BatchBounds = [1, 2, 4, 8, 16, 32, 64];

    private readonly ConcurrentDictionary<string, SourceCounters> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StreamCounters> _streams = new(StringComparer.Ordinal);
    private long _reloadsOk;
    private long _reloadsFailed;
    private long _capturesSaved;
    private long _connections;
    private ModelInfoLabels? _model;
    private readonly MqttCounters _mqtt = new();
    private Func<IReadOnlyList<EdgeVision.Capture.SourceStats>> _sourceStats = () => [];

    public Histogram InferenceSeconds { get; } = new(LatencyBounds);
    public Histogram EndToEndSeconds { get; } = new(LatencyBounds);
    public Histogram BatchSize { get; } = new(BatchBounds);

    public void FrameCaptured(string source, long count = 1) => Interlocked.Add(ref Source(source).Captured, count);

    public void FramesDropped(string source, long count = 1) => Interlocked.Add(ref Source(source).Dropped, count);

    public void FrameInferred(string source, long count = 1) => Interlocked.Add(ref Source(source).Inferred, count);

    /// <summary>An inferred frame handed to the view (HUD, JPEG, streams); the others were held by FrameLoop:MaxViewFps.</summary>
    public void FrameShown(string source) => Interlocked.Increment(ref Source(source).Shown);

    public void ObserveInference(double milliseconds) => InferenceSeconds.Observe(milliseconds / 1000.0);

    public void ObserveEndToEnd(double milliseconds) => EndToEndSeconds.Observe(milliseconds / 1000.0);

    public void ObserveBatchSize(int frames) => BatchSize.Observe(frames);

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

    /// <summary>Where the per-source health (up, reconnects, last-frame age) is read from at scrape time.</summary>
    public void ReadSourceHealthFrom(Func<IReadOnlyList<EdgeVision.Capture.SourceStats>> sources) => _sourceStats = sources;

    public void WriteTo(TextWriter w)
    {
        var sources = _sources.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        PerSource(w, sources, "edgevision_frames_captured_total", "Frames read from each source.", c => Interlocked.Read(ref c.Captured));
        PerSource(w, sources, "edgevision_frames_dropped_total", "Frames a source produced that the frame loop never took (latest frame wins).", c => Interlocked.Read(ref c.Dropped));
        PerSource(w, sources, "edgevision_frames_inferred_total", "Frames of each source that went through the model.", c => Interlocked.Read(ref c.Inferred));
        PerSource(w, sources, "edgevision_frames_shown_total", "Inferred frames drawn and encoded for viewers (at most FrameLoop:MaxViewFps per second).", c => Interlocked.Read(ref c.Shown));

        SourceHealth.WriteTo(w, _sourceStats());

        PrometheusText.Header(w, "edgevision_inference_seconds", "histogram", "Time of one batched model run.");
        InferenceSeconds.WriteSeries(w, "edgevision_inference_seconds", "");
        PrometheusText.Header(w, "edgevision_end_to_end_seconds", "histogram", "Capture to annotated JPEG published.");
        EndToEndSeconds.WriteSeries(w, "edgevision_end_to_end_seconds", "");
        PrometheusText.Header(w, "edgevision_batch_size", "histogram", "Frames per model run.");
        BatchSize.WriteSeries(w, "edgevision_batch_size", "");

        var streams = _streams.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        PerStream(w, streams, "edgevision_stream_clients", "gauge", "HTTP clients watching a stream now.", s => Interlocked.Read(ref s.Clients));
        PerStream(w, streams, "edgevision_stream_frames_skipped_total", "counter", "Frames stream clients skipped because they were busy sending an older one.", s => Interlocked.Read(ref s.Skipped));
        PerStream(w, streams, "edgevision_stream_clients_dropped_total", "counter", "Stream clients disconnected for not reading.", s => Interlocked.Read(ref s.DroppedClients));
        PerStream(w, streams, "edgevision_stream_clients_rejected_total", "counter", "Stream clients refused because the stream limit was reached.", s => Interlocked.Read(ref s.Rejected));
        PerStream(w, streams, "edgevision_stream_bytes_sent_total", "counter", "Frame and event bytes written to stream clients (payload, without HTTP or WebSocket framing).", s => Interlocked.Read(ref s.BytesSent));
        PrometheusText.Header(w, "edgevision_http_connections", "gauge", "TCP connections the HTTP server holds open now.");
        PrometheusText.Sample(w, "edgevision_http_connections", "", Connections);

        PrometheusText.Header(w, "edgevision_model_reloads_total", "counter", "Model loads and switches by outcome.");
        PrometheusText.Sample(w, "edgevision_model_reloads_total", "result=\"ok\"", ReloadsSucceeded);
        PrometheusText.Sample(w, "edgevision_model_reloads_total", "result=\"failed\"", ReloadsFailed);

        PrometheusText.Header(w, "edgevision_captures_saved_total", "counter", "Labelled frames written to the dataset.");
        PrometheusText.Sample(w, "edgevision_captures_saved_total", "", Interlocked.Read(ref _capturesSaved));

        if (Volatile.Read(ref _model) is { } model)
        {
            PrometheusText.Header(w, "edgevision_model_info", "gauge", "The model and execution provider serving now.");
            PrometheusText.Sample(w, "edgevision_model_info",
                $"provider=\"{PrometheusText.Escape(model.Provider)}\",model=\"{PrometheusText.Escape(model.Model)}\",precision=\"{PrometheusText.Escape(model.Precision)}\"", 1);
        }

        _mqtt.WriteTo(w);
        WriteRuntime(w);
    }

    private static void WriteRuntime(TextWriter w)
    {
        PrometheusText.Header(w, "dotnet_gc_collections_total", "counter", "Garbage collections by generation.");
        for (int gen = 0; gen <= GC.MaxGeneration; gen++)
        {
            PrometheusText.Sample(w, "dotnet_gc_collections_total", $"generation=\"{gen.ToString(CultureInfo.InvariantCulture)}\"", GC.CollectionCount(gen));
        }
        PrometheusText.Header(w, "dotnet_gc_heap_size_bytes", "gauge", "Managed heap size after the last collection plus allocations since.");
        PrometheusText.Sample(w, "dotnet_gc_heap_size_bytes", "", GC.GetTotalMemory(false));
        PrometheusText.Header(w, "dotnet_gc_allocated_bytes_total", "counter", "Managed bytes allocated since start.");
        PrometheusText.Sample(w, "dotnet_gc_allocated_bytes_total", "", GC.GetTotalAllocatedBytes(false));
        PrometheusText.Header(w, "dotnet_gc_pause_seconds_total", "counter", "Time the runtime paused for garbage collection.");
        PrometheusText.Sample(w, "dotnet_gc_pause_seconds_total", "", GC.GetTotalPauseDuration().TotalSeconds);

        using var process = Process.GetCurrentProcess();
        PrometheusText.Header(w, "process_resident_memory_bytes", "gauge", "Resident set size.");
        PrometheusText.Sample(w, "process_resident_memory_bytes", "", process.WorkingSet64);
        PrometheusText.Header(w, "process_cpu_seconds_total", "counter", "User and system CPU time.");
        PrometheusText.Sample(w, "process_cpu_seconds_total", "", process.TotalProcessorTime.TotalSeconds);
        PrometheusText.Header(w, "process_threads", "gauge", "Operating system threads.");
        PrometheusText.Sample(w, "process_threads", "", process.Threads.Count);
    }

    private static void PerSource(TextWriter w, KeyValuePair<string, SourceCounters>[] sources, string name, string help, Func<SourceCounters, long> value)
    {
        PrometheusText.Header(w, name, "counter", help);
        foreach (var (source, counters) in sources)
        {
            PrometheusText.Sample(w, name, $"source=\"{PrometheusText.Escape(source)}\"", value(counters));
        }
    }

    private static void PerStream(TextWriter w, KeyValuePair<string, StreamCounters>[] streams, string name, string type, string help, Func<StreamCounters, long> value)
    {
        PrometheusText.Header(w, name, type, help);
        foreach (var (kind, counters) in streams)
        {
            PrometheusText.Sample(w, name, $"stream=\"{PrometheusText.Escape(kind)}\"", value(counters));
        }
    }

    private SourceCounters Source(string source) =>
        _sources.TryGetValue(source, out var c) ? c : _sources.GetOrAdd(source, _ => new SourceCounters());

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
