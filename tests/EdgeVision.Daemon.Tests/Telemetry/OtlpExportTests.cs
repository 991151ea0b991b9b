using System.Text;
using EdgeVision.Daemon.Tests.Http;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Tests.Telemetry;

/// <summary>Telemetry:OtlpEndpoint pushes the daemon's meter to a collector; a bad address stops the start naming the key.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task With_an_otlp_endpoint_the_meter_reaches_the_collector_as_protobuf_with_the_metric_names()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var server = await HttpTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Telemetry:OtlpEndpoint"] = collector.Address.ToString(),
            ["Telemetry:OtlpInterval"] = "00:00:00.2",
        });
        server.Metrics.FrameCaptured("cam0", 5);
        server.Metrics.ObserveInference(4);
        server.Metrics.ModelReloaded(succeeded: true);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? contentType = null;
        byte[] body = [];
        // The first export may precede the events above; the next ones carry them (cumulative temporality).
        while (!Contains(body, "edgevision_frames_captured_total") || !Contains(body, "edgevision_inference_seconds"))
        {
            (contentType, body) = await collector.Requests.ReadAsync(timeout.Token);
        }

        Assert.Equal("application/x-protobuf", contentType);
        Assert.True(Contains(body, "EdgeVision.Daemon"), "the export does not name the meter (instrumentation scope)");
        Assert.True(Contains(body, "edgevision_model_reloads_total"));
        Assert.True(Contains(body, "cam0"), "the source label is missing");
        // /metrics keeps working beside the push.
        var families = PrometheusParser.Parse(await server.Client.GetStringAsync("/metrics"));
        Assert.Equal(5, families["edgevision_frames_captured_total"].Samples.Single().Value);
    }

    [Theory]
    [InlineData("collector:4318")]
    [InlineData("ftp://collector:4318")]
    public async Task An_otlp_endpoint_that_is_not_an_http_address_stops_the_start_naming_the_key(string endpoint)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => HttpTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Telemetry:OtlpEndpoint"] = endpoint,
        }));
        Assert.Contains("Telemetry:OtlpEndpoint", error.Message);
        Assert.Contains(endpoint, error.Message);
    }

    [Fact]
    public void The_collector_address_gets_the_otlp_http_metrics_path_and_a_grpc_one_is_kept()
    {
        Assert.Equal("http://c:4318/v1/metrics", new EdgeVision.Daemon.Metrics.TelemetryOptions { OtlpEndpoint = "http://c:4318" }.OtlpTarget()!.ToString());
        Assert.Equal("http://c:4318/otel/v1/metrics", new EdgeVision.Daemon.Metrics.TelemetryOptions { OtlpEndpoint = "http://c:4318/otel/" }.OtlpTarget()!.ToString());
        Assert.Equal("http://c:4317/", new EdgeVision.Daemon.Metrics.TelemetryOptions
        {
            OtlpEndpoint = "http://c:4317", OtlpProtocol = EdgeVision.Daemon.Metrics.OtlpTransport.Grpc,
        }.OtlpTarget()!.ToString());
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
