using EdgeVision.Daemon.FrameLoop;
using EdgeVision.Daemon.Metrics;
using EdgeVision.Daemon.Mqtt;
using EdgeVision.Daemon.Tests.Host;
using EdgeVision.Daemon.Tests.Http;
using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Mqtt;

/// <summary>The connection's life against a real mosquitto: last will, a broker outage, authentication, TLS.</summary>
public sealed class MqttConnectionTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task The_last_will_says_offline_when_the_daemon_is_killed()
    {
        using var scratch = new Scratch();
        using var broker = MosquittoBroker.Start(scratch.Path);
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Port);
        using var daemon = DaemonProcess.Start(scratch.Path,
            ["--Model:Path=" + TestModels.Tiny(scratch.Path), "--Http:Port=0", "--Window:Enabled=false", "--Inference:Providers:0=CPU",
             .. MqttDaemon.Args(broker.Port, "killed")]);
        Assert.True(await subscriber.WaitForAsync("edgevision/killed/availability", "online", MqttDaemon.Patience), "never online:\n" + daemon.Output);
        Assert.True(await subscriber.WaitForAsync("edgevision/killed/demo/state", null, MqttDaemon.Patience), "no state before the kill");

        daemon.Signal(9); // SIGKILL: no goodbye, only the broker's last will can tell
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(10)));

        Assert.True(await subscriber.WaitForAsync("edgevision/killed/availability", "offline", TimeSpan.FromSeconds(20)), "the last will did not fire");
        await using var late = await MqttTestSubscriber.ConnectAsync(broker.Port, filter: "edgevision/killed/availability");
        Assert.True(await late.WaitForAsync(all => all.Any(m => m.Retain && m.Payload == "offline"), TimeSpan.FromSeconds(10)), "the will is not retained");
    }

    [SkippableFact]
    public async Task A_broker_down_for_ten_seconds_is_reconnected_while_frames_keep_flowing_and_the_queue_stays_bounded()
    {
        using var scratch = new Scratch();
        using var broker = MosquittoBroker.Start(scratch.Path);
        await using var daemon = await InProcessDaemon.StartAsync(scratch.Path, MqttDaemon.Model(scratch), MqttDaemon.Args(broker.Port, "outage"));
        var flow = daemon.Get<FlowMonitor>();
        var metrics = daemon.Get<DaemonMetrics>();
        var outbox = daemon.Get<LatestWinsOutbox>();
        await using (var before = await MqttTestSubscriber.ConnectAsync(broker.Port))
        {
            Assert.True(await before.WaitForAsync("edgevision/outage/status", null, MqttDaemon.Patience), "no status before the outage");
        }
        double fpsBefore = await InferredPerSecond(flow, TimeSpan.FromSeconds(4));

        broker.Stop();
        long supersededBefore = outbox.Superseded;
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double fpsDuring = await InferredPerSecond(flow, TimeSpan.FromSeconds(10));
        int queuedMax = outbox.Count;
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        string during = Scrape(daemon);
        broker.Start();
        await using var after = await MqttTestSubscriber.ConnectAsync(broker.Port);
        Assert.True(await after.WaitForAsync(all => all.Any(m => m.Topic == "edgevision/outage/availability" && m.Payload == "online")
            && all.Any(m => m.Topic == "edgevision/outage/status" && !m.Retain), MqttDaemon.Patience), "no messages after the broker came back");
        output.WriteLine($"outage {clock.Elapsed.TotalSeconds:F1} s; inferred fps before {fpsBefore:F1}, during {fpsDuring:F1}; " +
            $"queued {queuedMax}, superseded {outbox.Superseded - supersededBefore}, heap {heapBefore / 1e6:F1} → {heapAfter / 1e6:F1} MB");

        Assert.Equal(0, Sample(during, "edgevision_mqtt_connected"));
        // Frames keep flowing at the source's pace (20 fps): the broker is not in the frame loop's way.
        Assert.True(fpsDuring >= 0.7 * fpsBefore, $"inferred fps fell from {fpsBefore:F1} to {fpsDuring:F1} while the broker was down");
        // Latest wins: at most one message per topic waits (state of one source, status), older ones are replaced.
        Assert.InRange(queuedMax, 1, 2);
        Assert.True(outbox.Superseded - supersededBefore >= 5, "status and state kept coming, yet nothing was superseded");
        Assert.True(await WaitUntil(() => metrics.MqttReconnects >= 1, TimeSpan.FromSeconds(10)), "reconnect not counted");
        string text = Scrape(daemon);
        Assert.Equal(1, Sample(text, "edgevision_mqtt_connected"));
        Assert.True(Sample(text, "edgevision_mqtt_connect_failures_total") >= 1);
    }

    [SkippableFact]
    public async Task A_broker_that_requires_a_password_accepts_the_configured_one_and_refuses_a_wrong_one()
    {
        using var scratch = new Scratch();
        var auth = ("camera", "s3cret!");
        using var broker = MosquittoBroker.Start(scratch.Path, auth);
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Port, auth);

        await using (var wrong = await InProcessDaemon.StartAsync(scratch.Path, TestModels.Tiny(scratch.Path),
            MqttDaemon.Args(broker.Port, "wrongpass", "--Mqtt:Username=camera", "--Mqtt:Password=nope")))
        {
            Assert.True(await WaitUntil(() => Sample(Scrape(wrong), "edgevision_mqtt_connect_failures_total") >= 2, MqttDaemon.Patience),
                "a wrong password was not refused");
        }
        await using (var anonymous = await InProcessDaemon.StartAsync(scratch.Path, TestModels.Tiny(scratch.Path), MqttDaemon.Args(broker.Port, "anon")))
        {
            Assert.True(await WaitUntil(() => Sample(Scrape(anonymous), "edgevision_mqtt_connect_failures_total") >= 2, MqttDaemon.Patience),
                "an anonymous client was not refused");
        }
        await using var right = await InProcessDaemon.StartAsync(scratch.Path, TestModels.Tiny(scratch.Path),
            MqttDaemon.Args(broker.Port, "rightpass", "--Mqtt:Username=camera", "--Mqtt:Password=s3cret!"));
        Assert.True(await subscriber.WaitForAsync("edgevision/rightpass/status", null, MqttDaemon.Patience), "the right password did not get through");
        Assert.DoesNotContain(subscriber.Messages, m => m.Topic.Contains("wrongpass") || m.Topic.Contains("anon"));
    }

    [SkippableFact]
    public async Task Tls_with_the_test_ca_connects_and_a_certificate_from_another_ca_or_plain_tcp_does_not()
    {
        using var scratch = new Scratch();
        var ca = TestCa.Create(Path.Combine(scratch.Path, "ca"));
        var otherCa = TestCa.Create(Path.Combine(scratch.Path, "other"), "Somebody Else's CA");
        using var broker = MosquittoBroker.Start(scratch.Path, tls: ca);
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Port);
        int tlsPort = broker.TlsPort!.Value;

        await using (var untrusted = await InProcessDaemon.StartAsync(scratch.Path, TestModels.Tiny(scratch.Path),
            MqttDaemon.Args(tlsPort, "untrusted", "--Mqtt:Tls=true", "--Mqtt:CaFile=" + otherCa.CaCertificate)))
        {
            Assert.True(await WaitUntil(() => Sample(Scrape(untrusted), "edgevision_mqtt_connect_failures_total") >= 2, MqttDaemon.Patience),
                "a broker certificate from another CA was accepted");
        }
        await using (var plain = await InProcessDaemon.StartAsync(scratch.Path, TestModels.Tiny(scratch.Path), MqttDaemon.Args(tlsPort, "plain")))
        {
            Assert.True(await WaitUntil(() => Sample(Scrape(plain), "edgevision_mqtt_connect_failures_total") >= 2, MqttDaemon.Patience),
                "plain TCP to the TLS port connected");
        }
        await using var trusted = await InProcessDaemon.StartAsync(scratch.Path, TestModels.Tiny(scratch.Path),
            MqttDaemon.Args(tlsPort, "trusted", "--Mqtt:Tls=true", "--Mqtt:CaFile=" + ca.CaCertificate));
        Assert.True(await subscriber.WaitForAsync("edgevision/trusted/status", null, MqttDaemon.Patience), "TLS with the test CA did not get through");
        Assert.DoesNotContain(subscriber.Messages, m => m.Topic.Contains("untrusted") || m.Topic.Contains("plain"));
    }

    private static string Scrape(InProcessDaemon daemon) => daemon.ScrapeMetrics();

    /// <summary>A label-less series' value, NaN while it is absent (the publisher has not tried to connect yet).</summary>
    private static double Sample(string text, string name) =>
        PrometheusParser.Parse(text).TryGetValue(name, out var family) ? family.Samples.Single().Value : double.NaN;

    private static async Task<double> InferredPerSecond(FlowMonitor flow, TimeSpan window)
    {
        long start = flow.FramesInferred;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(window);
        return (flow.FramesInferred - start) / clock.Elapsed.TotalSeconds;
    }

    private static async Task<bool> WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition()) return true;
            await Task.Delay(100);
        }
        return condition();
    }
}
