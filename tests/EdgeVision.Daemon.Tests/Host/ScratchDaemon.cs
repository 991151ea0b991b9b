using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace EdgeVision.Daemon.Tests.Host;

/// <summary>
/// The real daemon host in process, owning a scratch directory for its state (dataset/, taught/, cache/, see
/// <see cref="DaemonArguments.StateUnder"/>) and an HTTP client on its port: what the suites that drive the daemon
/// through its API (reliability, teaching) start.
/// </summary>
internal abstract class ScratchDaemon : IAsyncDisposable
{
    protected ScratchDaemon(Started started)
    {
        (Daemon, Scratch, Client) = started;
    }

    /// <summary>What <see cref="StartAsync"/> hands the subclass's constructor.</summary>
    protected internal sealed record Started(InProcessDaemon Daemon, Scratch Scratch, HttpClient Client);

    public InProcessDaemon Daemon { get; }
    public Scratch Scratch { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => Daemon.Services;
    public string DatasetRoot => Scratch.File("dataset");
    public string TaughtDirectory => Scratch.File("taught");

    /// <summary>Starts the host on <paramref name="args"/> built for <paramref name="scratch"/>; the scratch is disposed when it does not start.</summary>
    protected static async Task<Started> StartAsync(Scratch scratch, IEnumerable<string> args, bool probe, Action<WebApplicationBuilder>? configure = null)
    {
        try
        {
            var daemon = await InProcessDaemon.StartAsync(args, probe, configure);
            return new Started(daemon, scratch, new HttpClient { BaseAddress = daemon.Address, Timeout = TimeSpan.FromSeconds(60) });
        }
        catch
        {
            scratch.Dispose();
            throw;
        }
    }

    public async Task<JsonElement> GetJsonAsync(string path) => JsonDocument.Parse(await Client.GetStringAsync(path)).RootElement.Clone();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Daemon.DisposeAsync();
        Scratch.Dispose();
    }
}
