using System.Diagnostics;
using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Host;

public sealed class SystemdIntegrationTests(ITestOutputHelper output)
{
    [Fact]
    public void Notifies_ready_pings_the_watchdog_only_while_frames_flow_and_stops_cleanly_on_SIGTERM()
    {
        using var scratch = new Scratch();
        // 2 s of video, played once: frames flow, then the source ends and frames stop.
        string clip = TestVideo.Write(scratch.File("short.avi"), frames: 40, fps: 20);
        using var notify = new FakeNotifySocket(scratch.File("notify.sock"));
        using var daemon = DaemonProcess.Start(scratch.Path,
        [
            "--Model:Path=" + TestModels.Tiny(scratch.Path), "--Http:Port=0", "--FrameLoop:FlowTimeoutSeconds=0.5",
            "--Capture:Sources:0:Name=short", "--Capture:Sources:0:Kind=File", "--Capture:Sources:0:Path=" + clip,
            "--Capture:Sources:0:Loop=false", "--Capture:Sources:0:StallTimeout=00:01:00",
        ], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path, ["WATCHDOG_USEC"] = "200000" });
        try
        {
            Assert.True(notify.WaitFor("READY=1", TimeSpan.FromSeconds(60)), "READY=1 never arrived\n" + daemon.Output);
            Assert.True(notify.WaitFor("WATCHDOG=1", TimeSpan.FromSeconds(10)), "no WATCHDOG=1 while frames flow\n" + daemon.Output);

            // The clip ends after ~2 s; allow the flow timeout, then no more pings may come. Only a withholding after
            // the end of stream counts: on a loaded machine a stalled loop may withhold pings while the clip still
            // plays, and rightly ping again when frames resume.
            Assert.True(SpinWait.SpinUntil(() =>
                {
                    string log = daemon.Output;
                    int end = log.IndexOf("end of stream", StringComparison.Ordinal);
                    return end >= 0 && log.IndexOf("withholding watchdog pings", end, StringComparison.Ordinal) >= 0;
                }, TimeSpan.FromSeconds(15)),
                "the watchdog never noticed that frames stopped after the end of the stream\n" + daemon.Output);
            var quietSince = DateTime.UtcNow;
            Thread.Sleep(1000);
            Assert.DoesNotContain(notify.Messages, m => m.At > quietSince && m.Message.Contains("WATCHDOG=1"));

            var exit = daemon.TerminateWithinFiveSeconds();
            output.WriteLine($"exited {exit.TotalMilliseconds:F0} ms after SIGTERM");
            Assert.Equal(0, daemon.ExitCode);
            Assert.True(notify.WaitFor("STOPPING=1", TimeSpan.FromSeconds(1)), "STOPPING=1 never arrived");
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }
    }

    [Fact]
    public void SIGTERM_with_the_demo_source_running_exits_within_five_seconds_and_releases_the_sources()
    {
        using var scratch = new Scratch();
        using var daemon = DaemonProcess.Start(scratch.Path,
            ["--Model:Path=" + TestModels.Tiny(scratch.Path), "--Http:Port=0", "--Capture:Sources:0:Name=demo", "--Capture:Sources:0:Kind=Demo"]);
        Assert.True(daemon.WaitForOutput("EdgeVision running", TimeSpan.FromSeconds(60)), daemon.Output);
        Thread.Sleep(1500); // frames and inference in flight
        var exit = daemon.TerminateWithinFiveSeconds();
        output.WriteLine($"exited {exit.TotalMilliseconds:F0} ms after SIGTERM");
        Assert.Equal(0, daemon.ExitCode);
        Assert.Contains("sources released", daemon.Output);
    }

    [SkippableFact]
    public void The_unit_verifies_clean_and_its_exposure_score_is_at_most_two()
    {
        string? found = RepoPaths.Which("systemd-analyze");
        Skip.If(found is null, "systemd-analyze is not installed");
        string analyze = found!;
        string unit = Path.Combine(RepoPaths.Root, "systemd", "edgevision.service");
        var (verifyCode, verifyOut) = Run(analyze, "verify", unit);
        Assert.True(verifyCode == 0 && verifyOut.Trim().Length == 0, "systemd-analyze verify: " + verifyOut);

        var (code, text) = Run(analyze, "security", "--offline=true", unit);
        Assert.Equal(0, code);
        var match = System.Text.RegularExpressions.Regex.Match(text, @"Overall exposure level for edgevision\.service: ([0-9.]+)");
        Assert.True(match.Success, text);
        double score = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"exposure {score}");
        Assert.InRange(score, 0.0, 2.0);
    }

    private static (int Code, string Output) Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) info.ArgumentList.Add(a);
        info.Environment["SYSTEMD_COLORS"] = "0";
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }
}
