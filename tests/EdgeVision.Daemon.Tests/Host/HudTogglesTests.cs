using EdgeVision.Daemon.FrameLoop;
using EdgeVision.Overlay;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace EdgeVision.Daemon.Tests.Host;

public sealed class HudTogglesTests
{
    [Fact]
    public void Every_published_element_name_reads_and_sets_its_own_flag()
    {
        var toggles = new HudToggles(MsOptions.Create(new HudOptions()));
        foreach (string name in EdgeVision.Daemon.Options.HudElementNames.All.Skip(1)) // "hud" is the master switch
        {
            Assert.True(toggles.Get(name));
            toggles.Set(name, false);
            Assert.False(toggles.Get(name));
            // Only that one: every other element is still on.
            Assert.All(EdgeVision.Daemon.Options.HudElementNames.All.Where(n => n != name), other => Assert.True(toggles.Get(other), $"{other} after hiding {name}"));
            toggles.Set(name, true);
        }
        toggles.Set("hud", false);
        Assert.False(toggles.Options.Enabled);
        Assert.Contains("known:", Assert.Throws<ArgumentException>(() => toggles.Get("labels")).Message);
    }
}
