using OpenCvSharp;

namespace EdgeVision.Overlay.Tests;

public class HudRendererTests
{
    private static Mat Render(int width, int height, HudOptions options, Action<HudState>? tweak = null)
    {
        var frame = HudScene.Background(width, height);
        var state = HudScene.State(width, height);
        tweak?.Invoke(state);
        new HudRenderer(options).Draw(frame, state);
        return frame;
    }

    private static Rect Changed(Mat a, Mat b, out int count)
    {
        using var diff = new Mat();
        Cv2.Absdiff(a, b, diff);
        using var grey = new Mat();
        Cv2.CvtColor(diff, grey, ColorConversionCodes.BGR2GRAY);
        using var mask = new Mat();
        Cv2.Threshold(grey, mask, 0, 255, ThresholdTypes.Binary);
        count = Cv2.CountNonZero(mask);
        return Cv2.BoundingRect(mask);
    }

    public static TheoryData<HudElement, int, int> Elements()
    {
        var data = new TheoryData<HudElement, int, int>();
        foreach (var element in Enum.GetValues<HudElement>())
        {
            data.Add(element, 640, 480);
            data.Add(element, 1920, 1080);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Elements))]
    public void Each_element_draws_only_inside_its_own_region(HudElement element, int width, int height)
    {
        var on = new HudOptions();
        var off = new HudOptions();
        off.SetVisible(element, false);
        using var with = Render(width, height, on);
        using var without = Render(width, height, off);

        var changed = Changed(with, without, out int count);
        Assert.True(count > 50, $"{element} should change pixels, changed {count}");
        var layout = new HudRenderer(on).LayoutFor(new Size(width, height));
        Rect region = element == HudElement.Reticle
            ? HudScene.State(width, height).Reticle!.Value
            : layout.Region(element);
        Assert.True((changed & region) == changed, $"{element} changed {changed}, outside its region {region}");
    }

    [Fact]
    public void Elements_do_not_overlap_at_either_resolution()
    {
        foreach (var size in new[] { new Size(640, 480), new Size(1920, 1080) })
        {
            var layout = new HudLayout(size, HudOptions.MaxTopK);
            var boxes = Enum.GetValues<HudElement>().Where(e => e != HudElement.Reticle).Select(e => (e, r: layout.Region(e))).ToList();
            foreach (var (a, ra) in boxes)
            {
                Assert.True(ra.Width > 0 && ra.Height > 0 && (ra & new Rect(0, 0, size.Width, size.Height)) == ra, $"{a} {ra} is not inside {size}");
                foreach (var (b, rb) in boxes)
                {
                    if (a != b) Assert.True((ra & rb).Width <= 0 || (ra & rb).Height <= 0, $"{a} {ra} overlaps {b} {rb} at {size}");
                }
            }
        }
    }

    [Fact]
    public void The_hud_scales_with_the_frame_height_for_readability()
    {
        var small = new HudLayout(new Size(640, 480), 3);
        var large = new HudLayout(new Size(1920, 1080), 3);
        Assert.Equal(2.25, large.Scale, 3);
        Assert.True(large.RowHeight >= 2 * small.RowHeight);
        Assert.True(large.FontScale > 2 * small.FontScale);
        Assert.True(large.Thickness > small.Thickness);
    }

    [Fact]
    public void The_master_switch_leaves_the_frame_untouched()
    {
        using var reference = HudScene.Background(640, 480);
        using var frame = reference.Clone();
        new HudRenderer(new HudOptions { Enabled = false }).Draw(frame, HudScene.State(640, 480));
        Changed(reference, frame, out int count);
        Assert.Equal(0, count);
    }

    [Fact]
    public void The_top1_bar_is_green_when_it_matches_the_ground_truth_and_red_when_it_does_not()
    {
        var options = new HudOptions();
        var layout = new HudLayout(new Size(640, 480), options.TopKCount);
        var row = layout.TopKRow(0);
        // A point in the bar (it spans 91 % of the row) that no glyph covers: the row's bottom padding band.
        var probe = new Point(row.X + row.Width * 3 / 4, row.Y + row.Height - layout.RowHeight / 6 - 2);
        using var right = Render(640, 480, options, s => s.GroundTruth = 7);
        using var wrong = Render(640, 480, options, s => s.GroundTruth = 3);
        var r = right.At<Vec3b>(probe.Y, probe.X);
        var w = wrong.At<Vec3b>(probe.Y, probe.X);
        Assert.True(r.Item1 > r.Item2 + 40, $"correct top-1 should be green, was {r}");
        Assert.True(w.Item2 > w.Item1 + 40, $"wrong top-1 should be red, was {w}");
    }

    [Fact]
    public void No_signal_hides_predictions_but_keeps_the_status()
    {
        // The reticle's bottom-left bracket may cross the top-k box; leave it out of this comparison.
        using var live = Render(640, 480, new HudOptions { Reticle = false });
        using var down = Render(640, 480, new HudOptions { Reticle = false }, s => s.NoSignal = true);
        var layout = new HudLayout(new Size(640, 480), 3);
        using var liveTopK = new Mat(live, layout.Region(HudElement.TopK));
        using var downTopK = new Mat(down, layout.Region(HudElement.TopK));
        using var background = HudScene.Background(640, 480);
        using var backgroundTopK = new Mat(background, layout.Region(HudElement.TopK));
        Changed(backgroundTopK, downTopK, out int untouched);
        Assert.Equal(0, untouched);
        Changed(liveTopK, downTopK, out int differs);
        Assert.True(differs > 0);
    }

    [Fact]
    public void A_long_model_name_is_shortened_to_its_row()
    {
        var options = new HudOptions();
        options.SetAll(false);
        options.Model = true;
        using var reference = HudScene.Background(640, 480);
        using var frame = reference.Clone();
        var state = HudScene.State(640, 480);
        state.ModelName = new string('W', 200);
        new HudRenderer(options).Draw(frame, state);
        var changed = Changed(reference, frame, out int count);
        var region = new HudLayout(frame.Size(), options.TopKCount).Region(HudElement.Model);
        Assert.True(count > 50, $"the shortened name drew {count} pixels"); // an empty row would fit any region
        Assert.Equal(changed, changed & region);
    }

    [Fact]
    public void A_frame_that_is_not_bgr_is_rejected_with_its_type()
    {
        using var grey = new Mat(480, 640, MatType.CV_8UC1, Scalar.All(0));
        var ex = Assert.Throws<ArgumentException>(() => new HudRenderer(new HudOptions()).Draw(grey, HudScene.State(640, 480)));
        Assert.Contains("CV_8UC3", ex.Message);
    }

    [Fact]
    public void Invalid_options_are_rejected_naming_the_key()
    {
        var ex = Assert.Throws<ArgumentException>(() => new HudRenderer(new HudOptions { TopKCount = 0 }));
        Assert.Contains("TopKCount", ex.Message);
    }

    [Fact]
    public void Steady_state_drawing_allocates_almost_nothing()
    {
        var renderer = new HudRenderer(new HudOptions());
        using var frame = HudScene.Background(640, 480);
        var state = HudScene.State(640, 480);
        for (int i = 0; i < 20; i++)
        {
            state.FrameTimes.Add(33);
            renderer.Draw(frame, state);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int Frames = 200;
        for (int i = 0; i < Frames; i++)
        {
            state.FrameTimes.Add(33);
            renderer.Draw(frame, state);
        }
        long perFrame = (GC.GetAllocatedBytesForCurrentThread() - before) / Frames;
        // What remains is the one native array header over the frame that all 11 text rows share; strings,
        // bars, the graph and the reticle allocate nothing. (A wrapper per PutText call measured ~1.2 KB/frame.)
        Assert.True(perFrame <= 160, $"{perFrame} managed bytes per frame");
    }
}
