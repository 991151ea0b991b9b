namespace EdgeVision.Daemon.Mqtt;

/// <summary>The topic layout (docs/MQTT.md): one place that spells every topic the daemon publishes.</summary>
public sealed class MqttTopics(string prefix, string discoveryPrefix, string device)
{
    public string Prefix { get; } = prefix;
    public string Device { get; } = device;

    public string Availability => Prefix + "/availability";

    public string Status => Prefix + "/status";

    public string State(string source) => $"{Prefix}/{Sanitize(source)}/state";

    /// <summary>Home Assistant discovery of a source's label sensor.</summary>
    public string LabelDiscovery(string source) => $"{discoveryPrefix.TrimEnd('/')}/sensor/{Device}_{Sanitize(source)}/config";

    /// <summary>Home Assistant discovery of a source's confidence sensor.</summary>
    public string ConfidenceDiscovery(string source) => $"{discoveryPrefix.TrimEnd('/')}/sensor/{Device}_{Sanitize(source)}_confidence/config";

    /// <summary>
    /// A name safe as one topic level and a Home Assistant object id: letters, digits, '-' and '_' kept,
    /// everything else (spaces, '/', wildcards) becomes '_'.
    /// </summary>
    public static string Sanitize(string name)
    {
        if (name.Length == 0) return "_";
        return string.Create(name.Length, name, static (span, s) =>
        {
            for (int i = 0; i < s.Length; i++) span[i] = char.IsAsciiLetterOrDigit(s[i]) || s[i] is '-' or '_' ? s[i] : '_';
        });
    }
}
