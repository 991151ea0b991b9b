using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EdgeVision.Daemon.Http;

/// <summary>
/// When the HTTP surface needs a token, logs once where to open the viewer with it (the start-up banner
/// already prints the plain URL); a generated token is shown only here.
/// </summary>
internal sealed class ViewerAddressReporter(IServer server, IHostApplicationLifetime lifetime, AccessToken token,
    ILogger<ViewerAddressReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Report);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (string address in addresses)
        {
            string url = address.Replace("0.0.0.0", Environment.MachineName).Replace("[::]", Environment.MachineName).TrimEnd('/') + "/";
            if (!token.Required) continue;
            if (token.Generated) logger.LogWarning("Viewer: {Url}?token={Token} (generated token; set Http:Token to keep one across restarts)", url, token.Value);
            else logger.LogInformation("Viewer: {Url} (bearer token required, Http:Token)", url);
        }
    }
}
