using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace EdgeVision.Daemon.Tests.Host;

/// <summary>Plays systemd's side of sd_notify: a bound unix datagram socket recording every message with its arrival time.</summary>
internal sealed class FakeNotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly ConcurrentQueue<(DateTime At, string Message)> _messages = new();
    private readonly Thread _reader;

    public FakeNotifySocket(string path)
    {
        Path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        _reader = new Thread(Read) { IsBackground = true };
        _reader.Start();
    }

    public string Path { get; }

    public IReadOnlyList<(DateTime At, string Message)> Messages => _messages.ToArray();

    public bool WaitFor(string message, TimeSpan timeout, DateTime? after = null) =>
        SpinWait.SpinUntil(() => _messages.Any(m => m.Message.Split('\n').Contains(message) && m.At > (after ?? DateTime.MinValue)), timeout);

    private void Read()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int n;
            try { n = _socket.Receive(buffer); }
            catch (SocketException) { return; }
            catch (ObjectDisposedException) { return; }
            _messages.Enqueue((DateTime.UtcNow, Encoding.UTF8.GetString(buffer, 0, n)));
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(Path);
    }
}
