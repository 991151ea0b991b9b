using Xunit.Abstractions;

namespace EdgeVision.Daemon.Tests.Host;

public sealed class LocalWindowTests(ITestOutputHelper output)
{
    [Fact]
    public void UnderXvfbTheWindowOpensAndKeysToggleTheHudPauseAndQuit()
    {
        using var display = XvfbDisplay.TryStart();
        if (display is null || RepoPaths.Which("xdotool") is null)
        {
            output.WriteLine("SKIPPED: Xvfb or xdotool is not installed (apt-get install xvfb xdotool)");
            return;
        }
        using var scratch = new Scratch();
        using var daemon = DaemonProcess.Start(scratch.Path,
            ["--Model:Path=" + TestModels.Tiny(scratch.Path), "--Http:Port=0", "--Window:Title=EdgeVisionTest",
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
            Key(display, id!, "q");
            Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(10)), "'q' did not stop the daemon");
            Assert.Equal(0, daemon.ExitCode);
        }
        finally
        {
            output.WriteLine(daemon.Output);
        }
    }

    private static void Key(XvfbDisplay display, string window, string key)
    {
        // No window manager under Xvfb: focus the window directly, then type through XTEST.
        display.Run("xdotool", "windowfocus", "--sync", window);
        var (code, text) = display.Run("xdotool", "key", "--clearmodifiers", key);
        Assert.True(code == 0, "xdotool key failed: " + text);
    }
}
