using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Host;

public sealed class LocalWindowTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Under_Xvfb_the_window_opens_and_keys_toggle_the_HUD_pause_and_quit()
    {
        using var display = XvfbDisplay.TryStart();
        Skip.If(display is null || RepoPaths.Which("xdotool") is null, "Xvfb or xdotool is not installed (apt-get install xvfb xdotool)");
        string? ffmpeg = RepoPaths.Which("ffmpeg");
        Skip.If(ffmpeg is null, "ffmpeg (its x11grab device takes the window's screenshot) is not installed");
        using var scratch = new Scratch();
        int port = FreePort();
        using var daemon = DaemonProcess.Start(scratch.Path,
            ["--Model:Path=" + TestModels.Tiny(scratch.Path), $"--Http:Port={port}", "--Window:Title=EdgeVisionTest",
             "--Capture:Sources:0:Name=demo", "--Capture:Sources:0:Kind=Demo"],
            new Dictionary<string, string> { ["DISPLAY"] = display.Display });
        try
        {
            Assert.True(daemon.WaitForOutput("Window 'EdgeVisionTest' open", TimeSpan.FromSeconds(60)), "the window never opened");
            string? id = null;
            Assert.True(SpinWait.SpinUntil(() =>
            {
                var (code, text) = display.Run("xdotool", "search", "--onlyvisible", "--name", "EdgeVisionTest");
                id = code == 0 ? text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() : null;
                return id is not null;
            }, TimeSpan.FromSeconds(20)), "no visible X window named EdgeVisionTest");
            var (infoCode, info) = display.Run("xwininfo", "-id", id!);
            Assert.Equal(0, infoCode);
            Assert.Contains("IsViewable", info);

            Key(display, id!, "h");
            Assert.True(daemon.WaitForOutput("HUD hidden", TimeSpan.FromSeconds(10)), "'h' did not hide the HUD");
            Key(display, id!, "space");
            Assert.True(daemon.WaitForOutput("Paused", TimeSpan.FromSeconds(10)), "space did not pause");
            WindowShowsTheWholeFrame(display, id!, ffmpeg!, port, scratch.File("window.png"));
            Key(display, id!, "q");
            Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(10)), "'q' did not stop the daemon");
            Assert.Equal(0, daemon.ExitCode);
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }
    }

    // Paused, the window and the snapshot endpoint hold the same annotated frame: the window must show all of it,
    // unscaled (it once showed a 320×240 crop of the 640×480 frame), so its screenshot equals the snapshot up to JPEG.
    private void WindowShowsTheWholeFrame(XvfbDisplay display, string window, string ffmpeg, int port, string screenshot)
    {
        using var http = new HttpClient();
        byte[] jpeg = http.GetByteArrayAsync($"http://127.0.0.1:{port}/snapshot/demo.jpg").GetAwaiter().GetResult();
        using var frame = Cv2.ImDecode(jpeg, ImreadModes.Color);
        Thread.Sleep(500); // the window redraws within a refresh period; nothing new arrives while paused
        var (infoCode, info) = display.Run("xwininfo", "-id", window);
        Assert.Equal(0, infoCode);
        int Field(string name) => int.Parse(Regex.Match(info, name + @":\s+(-?\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var (x, y, w, h) = (Field("Absolute upper-left X"), Field("Absolute upper-left Y"), Field("Width"), Field("Height"));
        Assert.Equal((frame.Width, frame.Height), (w, h));
        var (code, text) = display.Run(ffmpeg, "-loglevel", "error", "-y", "-f", "x11grab", "-video_size", $"{w}x{h}",
            "-i", $"{display.Display}+{x},{y}", "-frames:v", "1", screenshot);
        Assert.True(code == 0, "ffmpeg x11grab failed: " + text);
        using var shot = Cv2.ImRead(screenshot, ImreadModes.Color);
        using var diff = new Mat();
        Cv2.Absdiff(shot, frame, diff);
        double meanDifference = (Cv2.Mean(diff).Val0 + Cv2.Mean(diff).Val1 + Cv2.Mean(diff).Val2) / 3;
        output.WriteLine($"window {w}x{h} at {x},{y}; mean |window − snapshot| = {meanDifference:F2} levels");
        Assert.True(meanDifference < 6, $"the window does not show the frame: mean difference {meanDifference:F1} levels");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Key(XvfbDisplay display, string window, string key)
    {
        // No window manager under Xvfb: focus the window directly, then type through XTEST.
        display.Run("xdotool", "windowfocus", "--sync", window);
        var (code, text) = display.Run("xdotool", "key", "--clearmodifiers", key);
        Assert.True(code == 0, "xdotool key failed: " + text);
    }
}
