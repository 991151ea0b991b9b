using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeVision.Daemon.Tests.Reliability;

/// <summary>
/// The network side of a Pipe source: ffmpeg as a one-client HTTP server looping a clip as MPEG-TS, which a test can
/// stop, freeze (SIGSTOP: the connection stays open and silent, a hung camera) or replace by a server that answers
/// every connection with garbage bytes.
/// </summary>
internal sealed partial class FaultyStreamServer(string ffmpeg, string clip, int port) : IDisposable
{
    private readonly object _gate = new();
    private Process? _ffmpeg;
    private bool _wanted;
    private CancellationTokenSource? _garbage;
    private Task? _garbageTask;

    public string Url => $"http://127.0.0.1:{port}/live.ts";

    /// <summary>Serves until <see cref="Stop"/>; the one-client ffmpeg server exits when its client goes, so it is restarted then.</summary>
    public void Start()
    {
        lock (_gate)
        {
            _wanted = true;
            Launch();
        }
    }

    private void Launch()
    {
        var info = new ProcessStartInfo(ffmpeg) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", clip,
                     "-c:v", "mpeg2video", "-q:v", "5", "-f", "mpegts", "-listen", "1", Url })
            info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.Exited += (_, _) =>
        {
            lock (_gate)
            {
                if (_wanted && ReferenceEquals(_ffmpeg, process)) Launch();
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _ffmpeg = process;
    }

    /// <summary>Kills the server (an ffmpeg server also exits by itself when its one client goes).</summary>
    public void Stop()
    {
        Process? p;
        lock (_gate)
        {
            _wanted = false;
            p = _ffmpeg;
            _ffmpeg = null;
        }
        if (p is not null)
        {
            kill(p.Id, SigCont);
            try { p.Kill(); } catch (InvalidOperationException) { }
            p.WaitForExit(5000);
            p.Dispose();
        }
    }

    /// <summary>Freezes the server: its client's connection stays open and nothing more arrives.</summary>
    public void Freeze()
    {
        lock (_gate)
        {
            if (_ffmpeg is { } p) kill(p.Id, SigStop);
        }
    }

    /// <summary>Replaces the server by one that writes random bytes to every connection and closes it.</summary>
    public void ServeGarbage(int seed)
    {
        Stop();
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _garbage = new CancellationTokenSource();
        var ct = _garbage.Token;
        var rng = new Random(seed);
        _garbageTask = Task.Run(async () =>
        {
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    using var client = await listener.AcceptTcpClientAsync(ct);
                    var bytes = new byte[64 * 1024];
                    rng.NextBytes(bytes);
                    try { await client.GetStream().WriteAsync(bytes, ct); } catch (IOException) { }
                }
            }
            catch (OperationCanceledException) { }
            finally { listener.Stop(); }
        }, ct);
    }

    public void StopGarbage()
    {
        _garbage?.Cancel();
        try { _garbageTask?.Wait(5000); } catch (AggregateException) { }
        _garbage?.Dispose();
        _garbage = null;
        _garbageTask = null;
    }

    private const int SigStop = 19;
    private const int SigCont = 18;

    [System.Runtime.InteropServices.LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    public void Dispose()
    {
        StopGarbage();
        Stop();
    }
}
