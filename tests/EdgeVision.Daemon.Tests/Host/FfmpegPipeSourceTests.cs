using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeVision.Daemon.Control;
using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Host;

public sealed class FfmpegPipeSourceTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_pipe_source_reads_a_stream_that_a_local_ffmpeg_serves_over_HTTP()
    {
        string? found = RepoPaths.Which("ffmpeg");
        Skip.If(found is null, "ffmpeg is not installed (apt-get install ffmpeg)");
        string ffmpeg = found!;
        using var scratch = new Scratch();
        string clip = TestVideo.Write(scratch.File("clip.avi"), frames: 60, width: 320, height: 240, fps: 30);
        int port = FreePort();
        string url = $"http://127.0.0.1:{port}/live.ts";
        // ffmpeg as a one-client HTTP server, looping the clip in real time as MPEG-TS.
        var info = new ProcessStartInfo(ffmpeg) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", clip,
                     "-c:v", "mpeg2video", "-q:v", "5", "-f", "mpegts", "-listen", "1", url })
            info.ArgumentList.Add(a);
        using var server = Process.Start(info)!;
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();
        try
        {
            await using var daemon = await InProcessDaemon.StartAsync(scratch.Path, TestModels.Tiny(scratch.Path),
                "--Capture:Sources:0:Name=net", "--Capture:Sources:0:Kind=Pipe", "--Capture:Sources:0:Uri=" + url,
                "--Capture:Sources:0:Width=320", "--Capture:Sources:0:Height=240",
                "--Capture:Sources:0:BackoffInitial=00:00:00.2", "--Capture:Sources:0:BackoffMax=00:00:01",
                // The client probes MPEG-TS for ~5 s before the first frame, and this one-client server exits when
                // its client goes: the stall watchdog must not hang up during the probe.
                "--Capture:Sources:0:StallTimeout=00:00:20");
            Assert.True(await daemon.Probe.WaitForAsync(s => s.Count(f => f.TopCount > 0 && f.Source == "net") >= 15, TimeSpan.FromSeconds(40)),
                "no frames from the ffmpeg pipe source; state " + daemon.Get<IDaemonControl>().GetStatus().Sources[0].State);
            Assert.All(daemon.Probe.All.Where(f => f.TopCount > 0), f => Assert.True(f.JpegValid));
            Assert.True(daemon.Probe.HudPixelBytes() > 200, "no HUD on the pipe source's frames");
        }
        finally
        {
            if (!server.HasExited) server.Kill();
            server.WaitForExit(5000);
        }
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
