namespace EdgeVision.Daemon.Tests.Http;
public sealed class ZzDump(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Dump()
    {
        await using var server = await HttpTestServer.StartAsync();
        server.Metrics.FrameCaptured("cam0", 10);
        server.Metrics.ObserveInference(3.2);
        server.Metrics.ModelReloaded(true);
        server.Metrics.SetModel("CPU", "m.onnx", "fp32");
        server.Metrics.MqttConnectFailed();
        File.WriteAllText("/tmp/telemetry-plain.txt", await server.Client.GetStringAsync("/metrics"));
        using var req = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        req.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.1");
        using var resp = await server.Client.SendAsync(req);
        File.WriteAllText("/tmp/telemetry-om.txt", resp.Content.Headers.ContentType + "\n" + await resp.Content.ReadAsStringAsync());
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 1000; i++) await server.Client.GetStringAsync("/metrics");
        File.WriteAllText("/tmp/telemetry-time.txt", sw.Elapsed.TotalMilliseconds.ToString());
    }
}
