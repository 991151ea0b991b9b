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
    public async Task Histograms_keep_the_documented_buckets_and_a_value_on_a_bound_counts_in_that_bucket()
    {
        await using var server = await HttpTestServer.StartAsync();
        Parallel.For(0, 1000, i => server.Metrics.ObserveInference(i % 2 == 0 ? 5 : 30));
        server.Metrics.ObserveBatchSize(4);

        var families = PrometheusParser.Parse(await server.Client.GetStringAsync("/metrics"));

        var buckets = families["edgevision_inference_seconds"].Samples.Where(s => s.Name.EndsWith("_bucket")).ToDictionary(s => s.Labels["le"], s => s.Value);
        Assert.Equal(["0.0005", "0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1", "2", "5", "+Inf"], buckets.Keys);
        Assert.Equal(500, buckets["0.005"]);
        Assert.Equal(500, buckets["0.02"]);
        Assert.Equal(1000, buckets["0.05"]);
        Assert.Equal(1000, server.Metrics.InferenceSeconds.Count);
        Assert.Equal(17.5, server.Metrics.InferenceSeconds.Sum, 9);
        var batch = families["edgevision_batch_size"].Samples.Where(s => s.Name.EndsWith("_bucket")).ToDictionary(s => s.Labels["le"], s => s.Value);
        Assert.Equal(["1", "2", "4", "8", "16", "32", "64", "+Inf"], batch.Keys);
        Assert.Equal(1, batch["4"]);
        Assert.Equal(0, batch["2"]);
    }

    [Fact]
    public async Task Two_hosts_in_one_process_count_only_their_own_events()
    {
        await using var first = await HttpTestServer.StartAsync();
        await using var second = await HttpTestServer.StartAsync();
        first.Metrics.FrameCaptured("cam0", 7);
        second.Metrics.FrameCaptured("cam0", 3);
        new DaemonMetrics().FrameCaptured("cam0", 100);

        var a = PrometheusParser.Parse(await first.Client.GetStringAsync("/metrics"));
        var b = PrometheusParser.Parse(await second.Client.GetStringAsync("/metrics"));

        Assert.Equal(7, a["edgevision_frames_captured_total"].Samples.Single().Value);
        Assert.Equal(3, b["edgevision_frames_captured_total"].Samples.Single().Value);
    }

    [Fact]
    public async Task A_scraper_that_prefers_openmetrics_still_gets_the_classic_text_with_the_same_names()
    {
        await using var server = await HttpTestServer.StartAsync();
        server.Metrics.FrameCaptured("cam0", 4);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        // What Prometheus 2.x/3.x sends by default.
        request.Headers.TryAddWithoutValidation("Accept",
            "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.1");

        using var response = await server.Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("_created", text);
        Assert.DoesNotContain("# EOF", text);
        Assert.Equal(4, PrometheusParser.Parse(text)["edgevision_frames_captured_total"].Samples.Single().Value);
    }
}
