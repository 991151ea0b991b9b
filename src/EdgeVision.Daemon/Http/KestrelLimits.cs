using System.Net;
using EdgeVision.Daemon.Metrics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Http;

/// <summary>Binds Kestrel to the configured address and applies the connection, data-rate and body limits.</summary>
internal sealed class KestrelLimits(IOptions<HttpOptions> http, DaemonMetrics metrics) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var options = http.Value;
        // 'localhost' is bound as 127.0.0.1 so port 0 (a free port) works too; Kestrel refuses it for 'localhost'.
        var address = options.Address.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.Loopback
            : IPAddress.Parse(options.Address);
        kestrel.Listen(address, options.Port, listen => listen.Use(CountConnections));
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
        kestrel.Limits.MaxConcurrentUpgradedConnections = options.MaxConnections;
        kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        // A viewer that stops reading is cut off instead of holding a connection and a frame forever.
        kestrel.Limits.MinResponseDataRate = new MinDataRate(options.MinResponseBytesPerSecond, TimeSpan.FromSeconds(options.MinResponseGraceSeconds));
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(5));
        kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
        kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
    }

    /// <summary>
    /// Counts open TCP connections (<c>edgevision_http_connections</c>): what a browser really holds against its
    /// six-per-host limit, keep-alive and WebSocket connections included, which no request-level counter sees.
    /// </summary>
    private ConnectionDelegate CountConnections(ConnectionDelegate next) =>
        async connection =>
        {
            metrics.ConnectionOpened();
            try
            {
                await next(connection);
            }
            finally
            {
                metrics.ConnectionClosed();
            }
        };
}
