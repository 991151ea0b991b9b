using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OpenCvSharp;

namespace EdgeVision.Capture.Tests;

/// <summary>
/// Against the real ffmpeg and gst-launch-1.0 (installed by scripts/setup.sh): a generated clip, read as a file and
/// over HTTP, and a GStreamer test source.
/// </summary>
public class ProcessPipeSourceTests
{
    private static string MakeClip(TempDir dir)
    {
        string clip = dir.File("clip.mp4");
        Run("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "2",
            "-pix_fmt", "yuv420p", "-c:v", "mpeg4", "-q:v", "3", "-y", clip);
        return clip;
    }

    private static void Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{program} failed: {err}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public void Frames_are_read_from_ffmpeg_serving_a_clip_over_http_on_localhost()
    {
        using var dir = new TempDir();
        string clip = MakeClip(dir);
        int port = FreePort();
        string url = $"http://127.0.0.1:{port}/live.ts";
        var serverInfo = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardError = true };
        foreach (string a in new[] { "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", clip, "-c:v", "mpeg2video", "-q:v", "4", "-f", "mpegts", "-listen", "1", url })
            serverInfo.ArgumentList.Add(a);
        using var server = Process.Start(serverInfo)!;
        server.BeginErrorReadLine();
        try
        {
            var options = new SourceOptions { Name = "net", Kind = SourceKind.Pipe, Uri = url, Width = 80, Height = 60 };
            using var source = new ProcessPipeSource(options);
            Assert.True(source.IsLive);
            // The server needs a moment to listen; opening early is what reconnects are for, so retry like the runner.
            using var frame = new CapturedFrame();
            var sw = Stopwatch.StartNew();
            FrameReadStatus status = FrameReadStatus.EndOfStream;
            ProcessPipeSource? attempt = null;
            // A read that hangs would hang the test run: the watchdog plays the runner's supervisor.
            using var watchdog = new Timer(_ => Volatile.Read(ref attempt)?.Interrupt(), null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
            while (sw.Elapsed < TimeSpan.FromSeconds(15))
            {
                attempt = new ProcessPipeSource(options);
                attempt.Open(CancellationToken.None);
                try
                {
                    status = attempt.Read(frame, CancellationToken.None);
                    if (status == FrameReadStatus.Frame) break;
                }
                catch (SourceException)
                {
                }
                attempt.Dispose();
                attempt = null;
                Thread.Sleep(200);
            }
            Assert.Equal(FrameReadStatus.Frame, status);
            using (attempt)
            {
                var means = new List<double>();
                for (int i = 0; i < 10; i++)
                {
                    Assert.Equal(FrameReadStatus.Frame, attempt!.Read(frame, CancellationToken.None));
                    Assert.Equal(new Size(80, 60), frame.Image.Size());
                    means.Add(frame.Image.Mean().Val0 + frame.Image.Mean().Val1 + frame.Image.Mean().Val2);
                }
                Assert.All(means, m => Assert.True(m > 30, "testsrc frames are colourful, not black"));
                int pid = attempt!.ProcessId!.Value;
                attempt.Dispose();
                Assert.True(HasExited(pid), "disposing the source kills ffmpeg");
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit(2000);
        }
    }

    private static bool HasExited(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    [Fact]
    public void A_local_file_through_ffmpeg_yields_raw_frames_then_ends()
    {
        using var dir = new TempDir();
        string clip = MakeClip(dir);
        var options = new SourceOptions { Name = "file", Kind = SourceKind.Pipe, Path = clip, Loop = false, Width = 64, Height = 48 };
        using var source = new ProcessPipeSource(options);
        Assert.False(source.IsLive);
        source.Open(CancellationToken.None);
        using var frame = new CapturedFrame();
        int frames = 0;
        while (source.Read(frame, CancellationToken.None) == FrameReadStatus.Frame)
        {
            Assert.Equal(new Size(64, 48), frame.Image.Size());
            frames++;
        }
        // 2 s at 25 fps, paced by -re: every frame arrives, none are invented.
        Assert.Equal(50, frames);
    }

    [Fact]
    public void Frames_are_read_from_gst_launch_with_the_sink_EdgeVision_adds()
    {
        // The Jetson path (nvarguscamerasrc) with a source every GStreamer has: the same argv, the same fdsink.
        var options = new SourceOptions
        {
            Name = "gst", Kind = SourceKind.Pipe, Program = PipeProgram.GStreamer, Width = 80, Height = 60,
            Pipeline = "videotestsrc pattern=ball is-live=true ! video/x-raw,width=320,height=240,framerate=30/1",
        };
        using var source = new ProcessPipeSource(options);
        source.Open(CancellationToken.None);
        using var first = new Mat();
        using var frame = new CapturedFrame();
        double changed = 0;
        for (int i = 0; i < 15; i++)
        {
            Assert.Equal(FrameReadStatus.Frame, source.Read(frame, CancellationToken.None));
            Assert.Equal(new Size(80, 60), frame.Image.Size());
            Assert.Equal(MatType.CV_8UC3, frame.Image.Type());
            if (i == 0) frame.Image.CopyTo(first);
            else
            {
                using var diff = new Mat();
                Cv2.Absdiff(first, frame.Image, diff);
                changed = Math.Max(changed, Cv2.Sum(diff).Val0);
            }
        }
        Assert.True(first.Mean().Val0 + first.Mean().Val1 + first.Mean().Val2 > 0, "the ball is drawn on the frames");
        Assert.True(changed > 0, "the ball moves from frame to frame: frames are live, not one repeated buffer");
        int pid = source.ProcessId!.Value;
        source.Dispose();
        Assert.True(HasExited(pid), "disposing the source kills gst-launch");
    }

    [Fact]
    public void A_missing_program_fails_to_open_with_a_clear_message()
    {
        var options = new SourceOptions { Name = "x", Kind = SourceKind.Pipe, Uri = "rtsp://u:secret@h/1", Width = 64, Height = 48, ProgramPath = "/nonexistent/ffmpeg" };
        using var source = new ProcessPipeSource(options);
        var ex = Assert.Throws<SourceException>(() => source.Open(CancellationToken.None));
        Assert.Contains("/nonexistent/ffmpeg", ex.Message);
        Assert.DoesNotContain("secret", ex.Message);
    }

    [Fact]
    public void A_stream_that_dies_is_reopened_by_the_runner()
    {
        // Nothing listens on the port: every ffmpeg run fails, and the runner keeps trying on its backoff ladder.
        int port = FreePort();
        var options = new SourceOptions
        {
            Name = "gone", Kind = SourceKind.Pipe, Uri = $"http://127.0.0.1:{port}/none", Width = 64, Height = 48,
            BackoffInitial = TimeSpan.FromMilliseconds(50), BackoffMax = TimeSpan.FromMilliseconds(100),
        };
        using var runner = new SourceRunner(options);
        runner.Start();
        Wait.Until(() => runner.Reopens >= 2, "reopen attempts against a dead server");
        Assert.Contains(runner.State, new[] { SourceState.NoSignal, SourceState.Connecting });
        Assert.Contains("ffmpeg", runner.LastError);
        Assert.True(runner.Slot.TryTake(out var frame));
        Assert.True(frame.IsNoSignal);
    }
}
