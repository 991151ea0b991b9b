using EdgeVision.Daemon.FrameLoop;

namespace EdgeVision.Daemon.Tests.Host;

public sealed class StallTimeoutTests
{
    [Fact]
    public async Task A_source_that_stops_delivering_is_reopened_and_shows_no_signal_while_the_loop_keeps_running()
    {
        using var scratch = new Scratch();
        // A stand-in for ffmpeg that writes five raw frames and then hangs without closing its pipe.
        string program = scratch.File("hang.sh");
        File.WriteAllText(program, "#!/bin/sh\nhead -c 1152000 /dev/urandom\nexec sleep 600\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var daemon = await InProcessDaemon.StartAsync(scratch.Path, TestModels.Tiny(scratch.Path),
            "--Capture:Sources:0:Name=hang", "--Capture:Sources:0:Kind=Pipe", "--Capture:Sources:0:Uri=http://127.0.0.1:9/none",
            "--Capture:Sources:0:ProgramPath=" + program, "--Capture:Sources:0:Width=320", "--Capture:Sources:0:Height=240",
            "--Capture:Sources:0:StallTimeout=00:00:00.5", "--Capture:Sources:0:BackoffInitial=00:00:00.2",
            "--Capture:Sources:0:BackoffMax=00:00:00.5");
        var runner = daemon.Get<CaptureSources>().Runners[0];

        Assert.True(await daemon.Probe.WaitForAsync(s => s.Any(f => f.TopCount > 0), TimeSpan.FromSeconds(20)), "the first frames were never inferred");
        Assert.True(SpinWait.SpinUntil(() => runner.Reopens >= 2, TimeSpan.FromSeconds(20)), "the stalled source was not reopened");
        // NO SIGNAL frames reach the stream (drawn, encoded) without being classified.
        Assert.True(await daemon.Probe.WaitForAsync(s => s.Any(f => f.TopCount == 0 && f.JpegValid), TimeSpan.FromSeconds(10)), "no NO SIGNAL frame was published");
    }
}
