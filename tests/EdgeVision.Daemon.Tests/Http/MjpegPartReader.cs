using System.Text;

namespace EdgeVision.Daemon.Tests.Http;

/// <summary>Reads multipart/x-mixed-replace parts the way a strict client does: headers, then exactly Content-Length bytes.</summary>
internal sealed class MjpegPartReader(Stream stream)
{
    private readonly byte[] _one = new byte[1];

    public async Task<(IReadOnlyDictionary<string, string> Headers, byte[] Body)> ReadPartAsync(CancellationToken ct)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            string line = await ReadLineAsync(ct);
            if (line.Length == 0 && headers.Count > 0) break;
            if (line.Length == 0 || line.StartsWith("--", StringComparison.Ordinal)) continue;
            int colon = line.IndexOf(':');
            if (colon <= 0) throw new InvalidDataException($"malformed part header line '{line}'");
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        if (!headers.TryGetValue("Content-Length", out var lengthText) || !int.TryParse(lengthText, out int length))
            throw new InvalidDataException("part without a Content-Length header");
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, ct);
        return (headers, body);
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        var line = new StringBuilder();
        while (true)
        {
            int read = await stream.ReadAsync(_one, ct);
            if (read == 0) throw new EndOfStreamException("the stream ended inside a part header");
            char c = (char)_one[0];
            if (c == '\n') return line.ToString().TrimEnd('\r');
            line.Append(c);
            if (line.Length > 4096) throw new InvalidDataException("part header line longer than 4 KB");
        }
    }
}
