using EdgeVision.Daemon.Control;
using EdgeVision.Daemon.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon;

/// <summary>Tells the user where to look once everything is up: the viewer URL, the window, the recording.</summary>
public static class StartupBanner
{
    public static void Log(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeVision.Daemon");
        var status = app.Services.GetRequiredService<IDaemonControl>().GetStatus();
        logger.LogInformation("EdgeVision running: model {Model} ({Architecture}, {Precision}) on {Provider}; sources {Sources}",
            status.Model.Name, status.Model.Architecture, status.Model.Precision, status.Model.Provider,
            string.Join(", ", status.Sources.Select(s => s.Name)));
        var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        foreach (string address in addresses ?? [])
            logger.LogInformation("Viewer: {Url}/", address.TrimEnd('/'));
        var output = app.Services.GetRequiredService<IOptions<OutputOptions>>().Value;
        if (output.Path is not null)
            logger.LogInformation("Recording annotated frames to {Output}", Path.GetFullPath(output.Path));
        var window = app.Services.GetRequiredService<Window.LocalWindow>();
        if (window.WillOpen)
            logger.LogInformation("Window '{Title}' on display {Display} (space pause, h HUD, m model, s snapshot, c capture, 1-9 source, q quit)",
                app.Services.GetRequiredService<IOptions<WindowOptions>>().Value.Title, Environment.GetEnvironmentVariable("DISPLAY"));
    }
}
