using System.Net;
using EdgeVision.Daemon.Metrics;

namespace EdgeVision.Daemon.Tests.Http;

public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_endpoint_is_valid_prometheus_text_with_the_daemon_families()
    {
        await using var server = await HttpTestServer.StartAsync();
        var metrics = server.Metrics;
        metrics.FrameCaptured("cam0", 10);
        metrics.FramesDropped("cam0", 2);
        metrics.FrameInferred("cam0", 8);
        metrics.ObserveInference(3.2);
        metrics.ObserveInference(12);
        metrics.ObserveEndToEnd(25);
        metrics.ObserveBatchSize(2);
        metrics.ModelReloaded(true);
        metrics.ModelReloaded(false);
        metrics.SetModel("CPU", "fashion \"resnet8\".onnx", "fp32");

        using var response = await server.Client.GetAsync("/metrics");
        string text = await response.Content.ReadAsStringAsync();
        var families = PrometheusParser.Parse(text);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("version=0.0.4", response.Content.Headers.ContentType.ToString());
        Assert.Equal(10, families["edgevision_frames_captured_total"].Samples.Single(s => s.Labels["source"] == "cam0").Value);
        Assert.Equal(2, families["edgevision_frames_dropped_total"].Samples.Single().Value);
        Assert.Equal(8, families["edgevision_frames_inferred_total"].Samples.Single().Value);
        var inference = families["edgevision_inference_seconds"];
        Assert.Equal("histogram", inference.Type);
        Assert.Equal(2, inference.Samples.Single(s => s.Name.EndsWith("_count")).Value);
        Assert.Equal(0.0152, inference.Samples.Single(s => s.Name.EndsWith("_sum")).Value, 6);
        Assert.Equal(1, inference.Samples.Single(s => s.Name.EndsWith("_bucket") && s.Labels["le"] == "0.005").Value);
        Assert.Equal("histogram", families["edgevision_end_to_end_seconds"].Type);
        Assert.Equal(1, families["edgevision_batch_size"].Samples.Single(s => s.Labels.GetValueOrDefault("le") == "2").Value);
        Assert.Equal(1, families["edgevision_model_reloads_total"].Samples.Single(s => s.Labels["result"] == "failed").Value);
        var info = families["edgevision_model_info"].Samples.Single();
        Assert.Equal("CPU", info.Labels["provider"]);
        Assert.Equal("fashion \\\"resnet8\\\".onnx", info.Labels["model"]);
        Assert.Contains("dotnet_gc_collections_total", families.Keys);
        Assert.Contains("dotnet_gc_heap_size_bytes", families.Keys);
        Assert.True(families["process_resident_memory_bytes"].Samples.Single().Value > 10_000_000);
    }

    [Fact]
    public async Task Stream_client_gauge_counts_open_mjpeg_clients()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer();
        producer.Start(fps: 10);
        using var stream = await server.Client.GetAsync("/stream/cam0", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await stream.Content.ReadAsStreamAsync();
        await new MjpegPartReader(body).ReadPartAsync(CancellationToken.None);

        var families = PrometheusParser.Parse(await server.Client.GetStringAsync("/metrics"));

        Assert.Equal(1, families["edgevision_stream_clients"].Samples.Single(s => s.Labels["stream"] == "mjpeg").Value);
    }

    [Fact]
    public void Histogram_refuses_bounds_that_do_not_increase()
    {
        var error = Assert.Throws<ArgumentException>(() => new Histogram(1, 5, 5));
        Assert.Contains("increase", error.Message);
    }

    [Fact]
    public void Histogram_counts_values_on_a_bound_in_that_bucket_and_sums_concurrently()
    {
        var histogram = new Histogram(1, 2, 4);
        Parallel.For(0, 1000, i => histogram.Observe(i % 2 == 0 ? 1 : 3));
        var text = new StringWriter();
        histogram.WriteSeries(text, "h", "");

        Assert.Equal(1000, histogram.Count);
        Assert.Equal(2000, histogram.Sum);
        Assert.Contains("h_bucket{le=\"1\"} 500\n", text.ToString());
        Assert.Contains("h_bucket{le=\"4\"} 1000\n", text.ToString());
    }
}
