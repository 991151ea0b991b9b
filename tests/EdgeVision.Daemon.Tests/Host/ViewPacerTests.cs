using System.Diagnostics;
using EdgeVision.Daemon.FrameLoop;

namespace EdgeVision.Daemon.Tests.Host;

public sealed class ViewPacerTests
{
    private static long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000);

    private static int Shown(ViewPacer pacer, IEnumerable<double> arrivalsMs) => arrivalsMs.Count(t => pacer.ShouldShow(Ms(t)));

    [Fact]
    public void A_source_twice_as_fast_as_the_cap_is_shown_at_the_cap()
    {
        var pacer = new ViewPacer(60);
        // 120 fps for 10 s.
        int shown = Shown(pacer, Enumerable.Range(0, 1200).Select(i => i * 1000.0 / 120));
        Assert.InRange(shown, 590, 610);
        Assert.Equal(1200 - shown, pacer.Held);
    }

    [Fact]
    public void A_source_at_the_cap_with_camera_jitter_loses_no_frame()
    {
        var pacer = new ViewPacer(30);
        var rng = new Random(7);
        // 30 fps, each frame up to ±20 % of a period early or late.
        var arrivals = Enumerable.Range(0, 900).Select(i => i * 1000.0 / 30 + (rng.NextDouble() - 0.5) * 0.4 * 1000.0 / 30).ToList();
        Assert.Equal(900, Shown(pacer, arrivals));
    }

    [Fact]
    public void A_source_much_faster_than_the_cap_never_exceeds_it_over_any_second()
    {
        var pacer = new ViewPacer(60);
        var shownAt = Enumerable.Range(0, 5000).Select(i => i * 1000.0 / 500).Where(t => pacer.ShouldShow(Ms(t))).ToList();
        for (double start = 0; start < 9000; start += 250)
            Assert.True(shownAt.Count(t => t >= start && t < start + 1000) <= 61, $"more than 61 frames shown in the second from {start} ms");
    }

    [Fact]
    public void After_a_pause_the_view_restarts_without_a_burst()
    {
        var pacer = new ViewPacer(10);
        Assert.True(pacer.ShouldShow(Ms(0)));
        // Nothing for 5 s, then a 100 fps burst of frames: the first is shown, then one per 100 ms again.
        var shown = Enumerable.Range(0, 100).Select(i => 5000 + i * 10.0).Where(t => pacer.ShouldShow(Ms(t))).ToList();
        Assert.Equal(5000, shown[0]);
        Assert.InRange(shown.Count, 10, 11);
    }

    [Fact]
    public void Zero_shows_every_frame()
    {
        var pacer = new ViewPacer(0);
        Assert.Equal(1000, Shown(pacer, Enumerable.Range(0, 1000).Select(i => i * 0.01)));
        Assert.Equal(0, pacer.Held);
    }
}
