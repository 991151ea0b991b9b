using EdgeVision.Daemon.FrameLoop;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Mqtt;

/// <summary>Registers the MQTT publisher when Mqtt:Host is set (the options are bound and validated either way).</summary>
public static class MqttRegistration
{
    public static IServiceCollection AddMqttPublisher(this IServiceCollection services, IConfiguration configuration)
    {
        var configured = configuration.GetSection(MqttOptions.SectionName).Get<MqttOptions>() ?? new MqttOptions();
        if (!configured.Enabled) return services;
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<MqttOptions>>().Value;
            return new MqttTopics(o.EffectivePrefix, o.DiscoveryPrefix, o.EffectiveDevice);
        });
        services.AddSingleton<LatestWinsOutbox>();
        services.AddSingleton<IAnnotatedFrameSink, MqttStateSink>();
        services.AddHostedService<MqttPublisher>();
        return services;
    }
}
