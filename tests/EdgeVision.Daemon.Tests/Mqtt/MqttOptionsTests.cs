using EdgeVision.Daemon.Mqtt;
using EdgeVision.Daemon.Options;

namespace EdgeVision.Daemon.Tests.Mqtt;

public sealed class MqttOptionsTests
{
    private static IReadOnlyList<string> Failures(MqttOptions options)
    {
        var result = new SectionValidator<MqttOptions>(MqttOptions.SectionName).Validate(null, options);
        return result.Failures?.ToList() ?? [];
    }

    [Fact]
    public void Defaults_and_a_plain_host_are_valid()
    {
        Assert.Empty(Failures(new MqttOptions()));
        Assert.Empty(Failures(new MqttOptions { Host = "broker.local", Device = "cam-1" }));
    }

    [Fact]
    public void Bad_values_are_reported_with_their_keys()
    {
        var failures = Failures(new MqttOptions
        {
            Host = " ", Port = 70000, Qos = 2, Device = "front door", TopicPrefix = "edge/+/x", Password = "p",
            CaFile = "/nonexistent/ca.crt", MinInterval = TimeSpan.FromSeconds(-1), StatusInterval = TimeSpan.Zero,
        });
        Assert.Contains("Mqtt:Port = 70000 is outside 0..65535", failures);
        Assert.Contains("Mqtt:Qos = 2 is outside 0..1", failures);
        Assert.Contains(failures, f => f.StartsWith("Mqtt:Host is blank", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Mqtt:Device = 'front door'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Mqtt:TopicPrefix = 'edge/+/x'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Mqtt:Password is set without Mqtt:Username", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Mqtt:CaFile is set but Mqtt:Tls is false", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Mqtt:MinInterval", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Mqtt:StatusInterval", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_ca_file_is_named()
    {
        var failures = Failures(new MqttOptions { Host = "b", Tls = true, CaFile = "/nonexistent/ca.crt" });
        Assert.Equal(["Mqtt:CaFile = '/nonexistent/ca.crt' does not exist"], failures);
    }

    [Fact]
    public void Topics_follow_the_documented_layout_and_sanitize_source_names()
    {
        var o = new MqttOptions { Host = "b", Device = "cam-1" };
        var topics = new MqttTopics(o.EffectivePrefix, o.DiscoveryPrefix, o.EffectiveDevice);
        Assert.Equal("edgevision/cam-1/availability", topics.Availability);
        Assert.Equal("edgevision/cam-1/status", topics.Status);
        Assert.Equal("edgevision/cam-1/front_door/state", topics.State("front door"));
        Assert.Equal("homeassistant/sensor/cam-1_a_b/config", topics.LabelDiscovery("a/b"));
        Assert.Equal("homeassistant/sensor/cam-1_x_confidence/config", topics.ConfidenceDiscovery("x"));
        Assert.Equal(1883, o.EffectivePort);
        Assert.Equal(8883, new MqttOptions { Tls = true }.EffectivePort);
    }
}
