using System.Text.Json;
using EdgeVision.Daemon.Models;
using EdgeVision.Daemon.Tests.Host;
using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Mqtt;

/// <summary>What a subscriber sees from a daemon publishing to a real mosquitto: the topics and fields of docs/MQTT.md.</summary>
public sealed class MqttMessageSchemaTests(ITestOutputHelper output)
{
    private static readonly string[] StateFields = ["source", "label", "score", "topk", "signal", "model", "precision", "provider", "frameId", "captureTime", "time"];
    private static readonly string[] StatusFields = ["device", "model", "sources", "fps", "framesFlowing", "uptimeSeconds", "time"];

    [SkippableFact]
    public async Task State_status_availability_and_discovery_arrive_with_the_documented_schema()
    {
        using var scratch = new Scratch();
        using var broker = MosquittoBroker.Start(scratch.Path);
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.Port);
        var daemon = await InProcessDaemon.StartAsync(scratch.Path, MqttDaemon.Model(scratch), MqttDaemon.Args(broker.Port, "cam-test"));
        IReadOnlyList<string> labels;
        try
        {
            Assert.True(await subscriber.WaitForAsync(all => all.Count(m => m.Topic == "edgevision/cam-test/demo/state") >= 4
                && all.Any(m => m.Topic == "edgevision/cam-test/status" && HasCaptured(m.Json)), MqttDaemon.Patience), "no state and status messages arrived");
            labels = daemon.Get<ModelHost>().Active!.Metadata.Labels;
        }
        finally
        {
            await daemon.DisposeAsync();
        }
        // A clean stop says offline itself (a clean disconnect suppresses the last will).
        Assert.True(await subscriber.WaitForAsync("edgevision/cam-test/availability", "offline", TimeSpan.FromSeconds(10)), "no offline on a clean stop");

        var messages = subscriber.Messages;
        var availability = messages.Where(m => m.Topic == "edgevision/cam-test/availability").Select(m => m.Payload).ToList();
        Assert.Equal(["online", "offline"], availability);

        var states = messages.Where(m => m.Topic == "edgevision/cam-test/demo/state").Select(m => m.Json).ToList();
        foreach (var state in states)
        {
            Assert.Equal(StateFields, state.EnumerateObject().Select(p => p.Name));
            Assert.Equal("demo", state.GetProperty("source").GetString());
            Assert.True(state.GetProperty("signal").GetBoolean());
            Assert.Contains(state.GetProperty("label").GetString(), labels);
            double score = state.GetProperty("score").GetDouble();
            Assert.InRange(score, 0, 1);
            var topk = state.GetProperty("topk").EnumerateArray().ToList();
            Assert.Equal(5, topk.Count);
            Assert.Equal(state.GetProperty("label").GetString(), topk[0].GetProperty("label").GetString());
            Assert.Equal(score, topk[0].GetProperty("score").GetDouble());
            Assert.Equal(Path.GetFileName(MqttDaemon.Model(scratch)), state.GetProperty("model").GetString());
            Assert.Equal("CPU", state.GetProperty("provider").GetString());
            Assert.True(state.GetProperty("frameId").GetInt64() > 0);
            Assert.True(state.GetProperty("captureTime").GetDateTimeOffset() <= state.GetProperty("time").GetDateTimeOffset());
        }
        // On change of the top-1, at most every Mqtt:MinInterval (0.2 s), in the daemon's own clock.
        for (int i = 1; i < states.Count; i++)
        {
            Assert.NotEqual(states[i - 1].GetProperty("label").GetString(), states[i].GetProperty("label").GetString());
            var gap = states[i].GetProperty("time").GetDateTimeOffset() - states[i - 1].GetProperty("time").GetDateTimeOffset();
            Assert.True(gap >= TimeSpan.FromMilliseconds(199), $"state messages {gap.TotalMilliseconds:F0} ms apart, under Mqtt:MinInterval");
            Assert.True(states[i].GetProperty("frameId").GetInt64() > states[i - 1].GetProperty("frameId").GetInt64());
        }
        output.WriteLine($"{states.Count} state messages, labels {string.Join(", ", states.Select(s => s.GetProperty("label").GetString()))}");

        // The first status goes out on connect, possibly before the source's first frame: read one sent after it.
        var status = messages.Last(m => m.Topic == "edgevision/cam-test/status" && HasCaptured(m.Json)).Json;
        Assert.Equal(StatusFields, status.EnumerateObject().Select(p => p.Name));
        Assert.Equal("cam-test", status.GetProperty("device").GetString());
        Assert.Equal(Path.GetFileName(MqttDaemon.Model(scratch)), status.GetProperty("model").GetProperty("name").GetString());
        var source = Assert.Single(status.GetProperty("sources").EnumerateArray());
        Assert.Equal("demo", source.GetProperty("name").GetString());
        Assert.True(source.GetProperty("captured").GetInt64() > 0);

        var label = messages.Single(m => m.Topic == "homeassistant/sensor/cam-test_demo/config");
        var confidence = messages.Single(m => m.Topic == "homeassistant/sensor/cam-test_demo_confidence/config");
        Assert.All(new[] { label, confidence }, d => Assert.Equal("edgevision/cam-test/demo/state", d.Json.GetProperty("state_topic").GetString()));
        Assert.All(new[] { label, confidence }, d => Assert.Equal("edgevision/cam-test/availability", d.Json.GetProperty("availability_topic").GetString()));
        Assert.Equal("cam-test_demo", label.Json.GetProperty("unique_id").GetString());
        Assert.Equal("cam-test_demo_confidence", confidence.Json.GetProperty("unique_id").GetString());
        Assert.Equal("%", confidence.Json.GetProperty("unit_of_measurement").GetString());
        Assert.Equal("edgevision_cam-test", label.Json.GetProperty("device").GetProperty("identifiers")[0].GetString());
    }

    [SkippableFact]
    public async Task HomeAssistant_false_publishes_no_discovery_and_a_late_subscriber_gets_the_retained_state()
    {
        using var scratch = new Scratch();
        using var broker = MosquittoBroker.Start(scratch.Path);
        await using var daemon = await InProcessDaemon.StartAsync(scratch.Path, MqttDaemon.Model(scratch),
            MqttDaemon.Args(broker.Port, "nodisc", "--Mqtt:HomeAssistant=false"));
        await using (var early = await MqttTestSubscriber.ConnectAsync(broker.Port))
        {
            Assert.True(await early.WaitForAsync(all => all.Count(m => m.Topic == "edgevision/nodisc/status") >= 2, MqttDaemon.Patience), "no status messages");
        }
        // Joining after the fact: retained availability, state and status arrive at once, discovery does not exist.
        await using var late = await MqttTestSubscriber.ConnectAsync(broker.Port);
        Assert.True(await late.WaitForAsync(all => all.Any(m => m.Retain && m.Topic == "edgevision/nodisc/demo/state")
            && all.Any(m => m.Retain && m.Topic == "edgevision/nodisc/availability" && m.Payload == "online")
            && all.Any(m => m.Retain && m.Topic == "edgevision/nodisc/status"), TimeSpan.FromSeconds(10)), "retained messages missing");
        Assert.DoesNotContain(late.Messages, m => m.Topic.StartsWith("homeassistant/", StringComparison.Ordinal));
    }

    private static bool HasCaptured(System.Text.Json.JsonElement status) =>
        status.GetProperty("sources").EnumerateArray().Any(source => source.GetProperty("captured").GetInt64() > 0);
}
