using System.Text;

namespace EdgeVision.Daemon.Tests.Reliability;

/// <summary>Random hostile HTTP/1.1 requests: methods, paths (encoded '..', NUL, very long), headers and bodies against every endpoint.</summary>
internal sealed class HostileRequests(int seed, string source)
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "FOO", "get", "P\u00d6ST", "GET\tX"];

    private readonly Random _rng = new(seed);

    private string[] Paths =>
    [
        "/", "/healthz", "/readyz", "/metrics", "/api/status", "/api/models", "/api/models/active", "/api/hud", "/api/predictions",
        "/api/events", "/api/live", "/api/capture", "/api/capture/counts", "/api/teach", "/api/teach/x", "/api/session",
        $"/stream/{source}", $"/stream/{source}/raw", $"/snapshot/{source}.jpg", $"/snapshot/{source}/raw.jpg", "/viewer.js",
        "/%2e%2e/%2e%2e/etc/passwd", "/api/%2e%2e/%2e%2e/etc/passwd", "/stream/%2e%2e%2f%2e%2e%2fetc", "/snapshot/..%2f..%2fetc%2fpasswd.jpg",
        "/api/teach/%2e%2e", "/api/teach/..%5c..%5cwin.ini", "/stream/a%00b", "/snapshot/%00.jpg", "/api/status%00", "/%c0%ae%c0%ae/",
        "/" + new string('a', 5000), "/stream/" + new string('x', 20_000), "//api//status", "/api/status?" + new string('q', 9000),
        "/api/models/active?name=../../x", "/stream/" + source + "?fps=-1&width=999999999999", "*", "http://evil/api/status",
    ];

    private string[] Bodies =>
    [
        "", "{}", "null", "[]", "{\"name\":\"../../etc/passwd\"}", "{\"name\":\"taught/../default.onnx\"}", "{\"name\":\"\\u0000\"}",
        $"{{\"source\":\"{source}\",\"label\":\"../../../escape\"}}", $"{{\"source\":\"{source}\",\"label\":\"..\\\\..\\\\escape\"}}",
        $"{{\"source\":\"{source}\",\"label\":\"/tmp/abs\"}}", $"{{\"source\":\"{source}\",\"label\":\"a/../../b\"}}",
        $"{{\"source\":\"{source}\",\"label\":\"%2e%2e\"}}", $"{{\"source\":\"{source}\",\"label\":\"ok\\u0000/../x\"}}",
        $"{{\"source\":\"../{source}\",\"label\":\"x\"}}", "{\"labels\":[\"..\",\"/\"],\"name\":\"../../x\"}", "{\"labels\":null,\"name\":\"" + new string('n', 300) + "\"}",
        "{\"element\":\"reticle\",\"visible\":\"yes\"}", new string('[', 5000), "{\"a\":" + new string('1', 10000) + "}",
        "\u00ff\u00fe\u0000garbage", new string('z', 40_000),
    ];

    public byte[] Next()
    {
        string method = Pick(Methods);
        string path = Pick(Paths);
        string body = _rng.Next(3) == 0 ? "" : Pick(Bodies);
        var sb = new StringBuilder();
        sb.Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        switch (_rng.Next(12))
        {
            case 0: sb.Append("Content-Type: application/json\r\n"); break;
            case 1: sb.Append("Content-Type: text/plain; charset=utf-99\r\n"); break;
            case 2: sb.Append("Authorization: Bearer ").Append(new string('t', _rng.Next(1, 200))).Append("\r\n"); break;
            case 3: sb.Append("Cookie: edgevision_token=").Append(new string('c', 50)).Append("\r\n"); break;
            case 4: sb.Append("X-Big: ").Append(new string('h', 20_000)).Append("\r\n"); break;
            case 5: sb.Append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://evil\r\n"); break;
            case 6: sb.Append("Expect: 100-continue\r\n"); break;
            case 7: sb.Append("Range: bytes=-1-99999999999\r\nIf-None-Match: *\r\n"); break;
            case 8: sb.Append("X-Forwarded-For: 10.0.0.1\r\nForwarded: for=\"[::1]\"\r\n"); break;
            default: break;
        }
        switch (_rng.Next(8))
        {
            case 0: // chunked with a broken chunk
                sb.Append("Transfer-Encoding: chunked\r\n\r\nzz\r\n").Append(body).Append("\r\n0\r\n\r\n");
                return Encoding.Latin1.GetBytes(sb.ToString());
            case 1: // a Content-Length that lies (longer than the body: the server waits, then times out the read)
                sb.Append("Content-Length: ").Append(body.Length + 10).Append("\r\n\r\n").Append(body);
                break;
            case 2:
                sb.Append("Content-Length: -5\r\n\r\n").Append(body);
                break;
            default:
                sb.Append("Content-Type: application/json\r\nContent-Length: ").Append(Encoding.UTF8.GetByteCount(body)).Append("\r\n\r\n").Append(body);
                return Encoding.UTF8.GetBytes(sb.ToString());
        }
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    private T Pick<T>(T[] items) => items[_rng.Next(items.Length)];
}
