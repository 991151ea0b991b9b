using OpenCvSharp;

namespace EdgeVision.Capture.Tests;

public class DemoSourceTests
{
    private static SourceOptions Demo() => new()
    {
        Name = "demo",
        Kind = SourceKind.Demo,
        Fps = 1000,
        DemoImageDuration = TimeSpan.FromMilliseconds(200),
        DemoSeed = 7,
    };

    [Fact]
    public void The_shipped_demo_set_holds_three_hundred_images_balanced_over_ten_classes()
    {
        using var set = DemoImageSet.Load(null);
        Assert.Equal(300, set.Count);
        Assert.All(set.Labels.GroupBy(l => l), g => Assert.Equal(30, g.Count()));
        Assert.Equal(10, set.ClassNames.Count);
        Assert.Equal("Ankle boot", set.ClassNames[9]);
        Assert.Equal(new Size(28, 28), set.Image(0).Size());
    }

    [Fact]
    public void Demo_frames_carry_the_ground_truth_of_the_garment_on_screen_and_change_over_time()
    {
        using var source = new DemoSource(Demo());
        source.Open(CancellationToken.None);
        using var frame = new CapturedFrame();
        using var first = new Mat();
        var truths = new HashSet<int>();
        double maxDifference = 0;
        for (int i = 0; i < 60; i++)
        {
            Assert.Equal(FrameReadStatus.Frame, source.Read(frame, CancellationToken.None));
            Assert.Equal(new Size(640, 480), frame.Image.Size());
            Assert.Equal(MatType.CV_8UC3, frame.Image.Type());
            int truth = Assert.IsType<int>(frame.GroundTruth);
            Assert.Equal(source.Images!.Labels[source.LastPose.DominantImage], truth);
            truths.Add(truth);
            if (i == 0) frame.Image.CopyTo(first);
            else maxDifference = Math.Max(maxDifference, Cv2.Norm(first, frame.Image, NormTypes.L1) / first.Total());
        }
        // 60 frames at 1 ms of frame time each over 0.2 s slots: 0.06 s → one image, so read further in time.
        for (int i = 0; i < 400; i++)
        {
            source.Read(frame, CancellationToken.None);
            truths.Add(frame.GroundTruth!.Value);
        }
        Assert.True(maxDifference > 1, $"motion should change the picture (mean L1 {maxDifference:F2})");
        Assert.True(truths.Count >= 2, "successive images should be of different classes");
    }

    [Fact]
    public void The_garment_fills_most_of_the_centred_square_the_model_sees()
    {
        using var source = new DemoSource(Demo());
        source.Open(CancellationToken.None);
        using var frame = new CapturedFrame();
        using var grey = new Mat();
        using var mask = new Mat();
        var square = new Rect(80, 0, 480, 480);
        for (int i = 0; i < 200; i += 1)
        {
            source.Read(frame, CancellationToken.None);
            if (i % 20 != 0) continue;
            Cv2.CvtColor(frame.Image, grey, ColorConversionCodes.BGR2GRAY);
            Cv2.Threshold(grey, mask, 40, 255, ThresholdTypes.Binary);
            // The decorated side bands are outside the square; inside, only the garment is bright.
            using var inside = new Mat(mask, square);
            var box = Cv2.BoundingRect(inside);
            Assert.True(Math.Max(box.Width, box.Height) > 0.6 * 480, $"frame {i}: garment spans only {box} of the 480 px square");
            using var outsideLeft = new Mat(mask, new Rect(0, 0, 40, 480));
            Assert.True(Cv2.CountNonZero(outsideLeft) < 0.2 * 40 * 480, "the garment stays inside the square");
        }
    }

    [Fact]
    public void The_demo_runs_through_the_runner_with_ground_truth_on_every_frame()
    {
        var options = Demo();
        options.Fps = 120;
        using var runner = new SourceRunner(options);
        runner.Start();
        int seen = 0;
        while (seen < 10)
        {
            Wait.Until(() => runner.Slot.HasUnseen, "demo frames");
            Assert.True(runner.Slot.TryTake(out var frame));
            Assert.False(frame.IsNoSignal);
            Assert.InRange(frame.GroundTruth!.Value, 0, 9);
            seen++;
        }
        Assert.Equal(SourceState.Live, runner.State);
    }

    [Fact]
    public void A_missing_demo_folder_is_reported_by_path()
    {
        var options = Demo();
        options.DemoPath = "/nonexistent/demo";
        using var source = new DemoSource(options);
        var ex = Assert.Throws<SourceException>(() => source.Open(CancellationToken.None));
        Assert.Contains("/nonexistent/demo", ex.Message);
    }
}
