using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeVision.Daemon.Tests.Host;

/// <summary>
/// A built web application started on Kestrel at a free loopback port: what every test host (the daemon in
/// process, the HTTP surface on a fake daemon, a stand-in collector) shares — start, the bound address, stop.
/// </summary>
internal sealed class KestrelTestHost : IAsyncDisposable
{
    private KestrelTestHost(WebApplication app)
    {
        App = app;
        // Port 0 binds a free port; the address Kestrel reports carries it ("[::]" where bound to any).
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(bound.Replace("[::]", "127.0.0.1"));
    }

    public WebApplication App { get; }
    public IServiceProvider Services => App.Services;
    public Uri Address { get; }

    /// <summary>Starts <paramref name="app"/>; when it does not start it is disposed and the error rethrown.</summary>
    public static async Task<KestrelTestHost> StartAsync(WebApplication app)
    {
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new KestrelTestHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        // A stop that hangs would hang the test run; 5 s is more than the daemon's own 4 s shutdown budget.
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5))) await App.StopAsync(stop.Token);
        await App.DisposeAsync();
    }
}
