using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace EdgeVision.Daemon.Tests.Http;

/// <summary>A test client of <c>/api/live</c> speaking its protocol: JSON requests out, frames and "type\n{json}" events in.</summary>
internal sealed class LiveSocket : IDisposable
{
    // Grown to the largest message seen, so fifty clients in one test process do not pin megabytes each.
    private byte[] _buffer = new byte[64 << 10];

    private LiveSocket(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    /// <summary>Payload bytes received so far (what the server's byte counter counts).</summary>
    public long BytesReceived { get; private set; }

    /// <summary>Connects; <paramref name="receiveBufferBytes"/> shrinks the TCP receive buffer (a client about to stop reading).</summary>
    public static async Task<LiveSocket> ConnectAsync(Uri server, CancellationToken ct, int? receiveBufferBytes = null,
        Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        var uri = new UriBuilder(server) { Scheme = "ws", Path = "/api/live" }.Uri;
        if (receiveBufferBytes is { } size)
        {
            // Owned by the socket's connection from here on: the upgraded stream outlives this method.
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, token) =>
                {
                    var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = size, NoDelay = true };
                    await raw.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(raw, ownsSocket: true);
                },
            };
            await socket.ConnectAsync(uri, new HttpMessageInvoker(handler, disposeHandler: false), ct);
        }
        else
        {
            await socket.ConnectAsync(uri, ct);
        }
        return new LiveSocket(socket);
    }

    public Task SendAsync(string json, CancellationToken ct) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, ct);

    /// <summary>The next message: a frame (source, sequence, JPEG) or an event (type, JSON).</summary>
    public async Task<LiveMessage> ReceiveAsync(CancellationToken ct)
    {
        int length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            result = await Socket.ReceiveAsync(_buffer.AsMemory(length), ct);
            if (result.MessageType == WebSocketMessageType.Close) throw new WebSocketException($"closed: {Socket.CloseStatus} {Socket.CloseStatusDescription}");
            length += result.Count;
        }
        while (!result.EndOfMessage);
        BytesReceived += length;
        if (result.MessageType == WebSocketMessageType.Text)
        {
            string text = Encoding.UTF8.GetString(_buffer, 0, length);
            int newline = text.IndexOf('\n');
            if (newline <= 0) throw new InvalidDataException($"an event without a type line: '{text}'");
            return new LiveMessage(text[..newline], text[(newline + 1)..], null, -1, null);
        }
        if (_buffer[0] != 1) throw new InvalidDataException($"binary message kind {_buffer[0]}, expected 1 (frame)");
        int nameEnd = 2 + _buffer[1];
        string source = Encoding.UTF8.GetString(_buffer, 2, _buffer[1]);
        long sequence = BinaryPrimitives.ReadInt64BigEndian(_buffer.AsSpan(nameEnd, 8));
        return new LiveMessage(null, null, source, sequence, _buffer.AsSpan(nameEnd + 8, length - nameEnd - 8).ToArray());
    }

    /// <summary>Reads one message through a small buffer without keeping it; true when it was a frame.</summary>
    public async Task<bool> SkipAsync(CancellationToken ct)
    {
        var scratch = _buffer.AsMemory(0, 16 << 10);
        ValueWebSocketReceiveResult result;
        do
        {
            result = await Socket.ReceiveAsync(scratch, ct);
            if (result.MessageType == WebSocketMessageType.Close) throw new WebSocketException($"closed: {Socket.CloseStatus} {Socket.CloseStatusDescription}");
            BytesReceived += result.Count;
        }
        while (!result.EndOfMessage);
        return result.MessageType == WebSocketMessageType.Binary;
    }

    /// <summary>Skips messages until one matches.</summary>
    public async Task<LiveMessage> ReceiveUntilAsync(Func<LiveMessage, bool> match, CancellationToken ct)
    {
        while (true)
        {
            var message = await ReceiveAsync(ct);
            if (match(message)) return message;
        }
    }

    public void Dispose() => Socket.Dispose();
}

internal sealed record LiveMessage(string? EventType, string? Json, string? Source, long Sequence, byte[]? Jpeg)
{
    public bool IsFrame => Jpeg is not null;
}
