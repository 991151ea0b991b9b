using System.Diagnostics;

namespace EdgeVision.Daemon.Tests.Http;

public sealed class FfprobeTests
{
    [Fact]
    public async Task Ffprobe_reads_the_stream_as_mjpeg_with_the_frame_size()
    {
        await using var server = await HttpTestServer.StartAsync();
        using var producer = server.CreateProducer(width: 320, height: 240);
        producer.Start(fps: 15);

        var start = new ProcessStartInfo("ffprobe")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { "-v", "error", "-f", "mpjpeg", "-show_entries", "stream=codec_name,width,height", "-of", "default=noprint_wrappers=1", new Uri(server.BaseAddress, "/stream/cam0").ToString() })
            start.ArgumentList.Add(arg);
        using var ffprobe = Process.Start(start) ?? throw new InvalidOperationException("ffprobe did not start");
        var stdout = ffprobe.StandardOutput.ReadToEndAsync();
        var stderr = ffprobe.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await ffprobe.WaitForExitAsync(timeout.Token);

        string output = await stdout;
        Assert.True(ffprobe.ExitCode == 0, $"ffprobe exited {ffprobe.ExitCode}: {await stderr}");
        Assert.Contains("codec_name=mjpeg", output);
        Assert.Contains("width=320", output);
        Assert.Contains("height=240", output);
    }
}
