using EdgeVision.Capture;
using EdgeVision.Inference;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Options;

/// <summary>Binds every host-owned section and validates it when the host starts (not at first use).</summary>
public static class OptionsRegistration
{
    public static IServiceCollection AddDaemonOptions(this IServiceCollection services, IConfiguration configuration)
    {
        Add<DaemonOptions>(services, configuration, DaemonOptions.SectionName);
        Add<FrameLoopOptions>(services, configuration, FrameLoopOptions.SectionName);
        Add<ModelOptions>(services, configuration, ModelOptions.SectionName);
        Add<EdgeVision.Overlay.HudOptions>(services, configuration, EdgeVision.Overlay.HudOptions.SectionName);
        Add<WindowOptions>(services, configuration, WindowOptions.SectionName);
        Add<OutputOptions>(services, configuration, OutputOptions.SectionName);
        Add<InferenceOptions>(services, configuration, InferenceOptions.SectionName);
        Add<CaptureOptions>(services, configuration, CaptureOptions.SectionName);
        Add<Mqtt.MqttOptions>(services, configuration, Mqtt.MqttOptions.SectionName);
        Add<TeachOptions>(services, configuration, TeachOptions.SectionName);
        return services;
    }

    private static void Add<T>(IServiceCollection services, IConfiguration configuration, string section) where T : class
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section));
    }
}
