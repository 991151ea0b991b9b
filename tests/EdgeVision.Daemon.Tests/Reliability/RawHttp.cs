using System.Net.Sockets;
using System.Text;

namespace EdgeVision.Daemon.Tests.Reliability;

/// <summary>
/// HTTP/1.1 over a bare socket: requests no HttpClient would send (NUL in the path, unknown methods, broken
/// framing), answered by the status code of the response line, or 0 when the server closed without one.
/// </summary>
internal static class RawHttp
{
    public static async Task<int> SendAsync(int port, byte[] request, TimeSpan timeout)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await client.ConnectAsync("127.0.0.1", port, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(request, cts.Token);
            var buffer = new byte[256];
            int filled = 0;
            while (filled < 12)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(filled), cts.Token);
                if (n == 0) break;
                filled += n;
            }
            string line = Encoding.ASCII.GetString(buffer, 0, filled);
            return line.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(9, 3), out int status) ? status : 0;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            return 0; // reset or closed before a status line: Kestrel's answer to some broken framing
        }
    }
}
