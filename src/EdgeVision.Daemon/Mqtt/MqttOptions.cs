using System.ComponentModel.DataAnnotations;

namespace EdgeVision.Daemon.Mqtt;

/// <summary>
/// The MQTT publisher (predictions, status, Home Assistant discovery). Section <c>Mqtt</c>; unset
/// <see cref="Host"/> turns it off. Bounds are named constants so the validator's messages quote them.
/// </summary>
public sealed class MqttOptions : IValidatableObject
{
    public const string SectionName = "Mqtt";

    /// <summary>Broker host name or address; null: no MQTT.</summary>
    public string? Host { get; set; }

    /// <summary>Broker port; 0 picks 1883, or 8883 with TLS.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>This daemon's name in topics, client id and Home Assistant; null: the machine's host name.</summary>
    public string? Device { get; set; }

    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>Connect with TLS; the broker's certificate must chain to <see cref="CaFile"/> (or the system roots).</summary>
    public bool Tls { get; set; }

    /// <summary>PEM file of the CA that signed the broker's certificate (a private CA); needs Tls=true.</summary>
    public string? CaFile { get; set; }

    /// <summary>Null: <c>edgevision/&lt;device&gt;</c>.</summary>
    public string? TopicPrefix { get; set; }

    /// <summary>0 at most once, 1 at least once (the broker acknowledges each message).</summary>
    [Range(0, 1)]
    public int Qos { get; set; } = 1;

    /// <summary>Retain state, status and availability so a subscriber that joins later sees the last value at once.</summary>
    public bool Retain { get; set; } = true;

    /// <summary>A source's state is published when its smoothed top-1 changes, and at most this often.</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often <c>&lt;prefix&gt;/status</c> (sources, fps, model) is published.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Publish Home Assistant MQTT discovery so each source appears as entities without YAML.</summary>
    public bool HomeAssistant { get; set; } = true;

    public string DiscoveryPrefix { get; set; } = "homeassistant";

    /// <summary>First reconnect delay; doubles (with ±20 % jitter) up to <see cref="ReconnectMax"/>.</summary>
    public TimeSpan ReconnectInitial { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public int EffectivePort => Port != 0 ? Port : Tls ? 8883 : 1883;

    public string EffectiveDevice => MqttTopics.Sanitize(Device ?? System.Net.Dns.GetHostName());

    public string EffectivePrefix => (TopicPrefix ?? "edgevision/" + EffectiveDevice).TrimEnd('/');

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Host is { } h && string.IsNullOrWhiteSpace(h))
            yield return Fail(nameof(Host), "is blank; leave it unset to disable MQTT");
        if (Device is { } d && MqttTopics.Sanitize(d) != d)
            yield return Fail(nameof(Device), $"= '{d}' may only hold letters, digits, '-' and '_'");
        if (TopicPrefix is { } p && (p.Trim('/').Length == 0 || p.IndexOfAny(['+', '#', '\0']) >= 0))
            yield return Fail(nameof(TopicPrefix), $"= '{p}' must be a non-empty topic without the wildcards + and #");
        if (DiscoveryPrefix.Trim('/').Length == 0 || DiscoveryPrefix.IndexOfAny(['+', '#', '\0']) >= 0)
            yield return Fail(nameof(DiscoveryPrefix), $"= '{DiscoveryPrefix}' must be a non-empty topic without the wildcards + and #");
        if (Password is not null && string.IsNullOrEmpty(Username))
            yield return Fail(nameof(Password), "is set without Mqtt:Username");
        if (CaFile is { } ca)
        {
            if (!Tls) yield return Fail(nameof(CaFile), "is set but Mqtt:Tls is false");
            else if (!File.Exists(ca)) yield return Fail(nameof(CaFile), $"= '{ca}' does not exist");
        }
        if (MinInterval < TimeSpan.Zero || MinInterval > MaxInterval)
            yield return Fail(nameof(MinInterval), $"= {MinInterval} is outside 00:00:00..{MaxInterval}");
        if (StatusInterval <= TimeSpan.Zero || StatusInterval > MaxInterval)
            yield return Fail(nameof(StatusInterval), $"= {StatusInterval} must be positive and at most {MaxInterval}");
        if (ReconnectInitial <= TimeSpan.Zero || ReconnectInitial > ReconnectMax)
            yield return Fail(nameof(ReconnectInitial), $"= {ReconnectInitial} must be positive and at most Mqtt:ReconnectMax ({ReconnectMax})");
    }

    private static ValidationResult Fail(string key, string message) => new($"{SectionName}:{key} {message}", [key]);
}
