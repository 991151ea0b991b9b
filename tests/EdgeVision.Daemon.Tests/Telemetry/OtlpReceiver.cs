using System.Threading.Channels;
using EdgeVision.Daemon.Tests.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EdgeVision.Daemon.Tests.Telemetry;

/// <summary>
/// A stand-in OTLP/HTTP collector: Kestrel on a free loopback port that accepts POST /v1/metrics and keeps each
/// request's content type and body (protobuf, not decoded: the tests look for the names it must carry).
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly KestrelTestHost _host;

    private OtlpReceiver(KestrelTestHost host, ChannelReader<(string? ContentType, byte[] Body)> requests)
    {
        _host = host;
        Requests = requests;
    }

    public Uri Address => _host.Address;

    public ChannelReader<(string? ContentType, byte[] Body)> Requests { get; }

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var requests = Channel.CreateUnbounded<(string? ContentType, byte[] Body)>();
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            requests.Writer.TryWrite((request.ContentType, body.ToArray()));
            // An empty ExportMetricsServiceResponse: full success.
            return Results.Bytes([], "application/x-protobuf");
        });
        return new OtlpReceiver(await KestrelTestHost.StartAsync(app), requests.Reader);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
