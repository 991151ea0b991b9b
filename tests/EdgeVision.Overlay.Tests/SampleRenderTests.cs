using OpenCvSharp;

namespace EdgeVision.Overlay.Tests;

/// <summary>Renders the HUD over a shipped demo image; with EDGEVISION_WRITE_DOCS=1 also writes docs/hud-640x480.png.</summary>
public class SampleRenderTests
{
    private static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeVision.sln"))) return dir.FullName;
        }
        return null;
    }

    [Fact]
    public void A_sample_frame_renders_and_encodes_as_png()
    {
        string root = RepoRoot() ?? throw new InvalidOperationException("EdgeVision.sln not found above the test binaries");
        using var garment = Cv2.ImRead(Path.Combine(root, "models/demo/fashion-mnist/00000.png"), ImreadModes.Grayscale);
        Assert.False(garment.Empty());
        using var frame = new Mat(480, 640, MatType.CV_8UC3, Scalar.Black);
        using var big = new Mat();
        Cv2.Resize(garment, big, new Size(440, 440), interpolation: InterpolationFlags.Linear);
        using var bigBgr = new Mat();
        Cv2.CvtColor(big, bigBgr, ColorConversionCodes.GRAY2BGR);
        using (var roi = new Mat(frame, new Rect(100, 20, 440, 440))) bigBgr.CopyTo(roi);
        var state = HudScene.State(640, 480);
        state.SetTopK([9, 7, 5], [0.94f, 0.04f, 0.01f]);
        state.GroundTruth = 9;
        using var undrawn = frame.Clone();
        new HudRenderer(new HudOptions()).Draw(frame, state);

        // The HUD drew something substantial over the garment, and the PNG holds exactly the drawn frame.
        using var diff = new Mat();
        Cv2.Absdiff(frame, undrawn, diff);
        using var grey = diff.CvtColor(ColorConversionCodes.BGR2GRAY);
        int drawn = Cv2.CountNonZero(grey);
        Assert.True(drawn > frame.Rows * frame.Cols / 50, $"the HUD changed only {drawn} pixels");
        Cv2.ImEncode(".png", frame, out byte[] png);
        using var decoded = Cv2.ImDecode(png, ImreadModes.Color);
        using var roundTrip = new Mat();
        Cv2.Absdiff(decoded, frame, roundTrip);
        Assert.Equal(0, Cv2.CountNonZero(roundTrip.CvtColor(ColorConversionCodes.BGR2GRAY)));
        if (Environment.GetEnvironmentVariable("EDGEVISION_WRITE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.Combine(root, "docs"));
            File.WriteAllBytes(Path.Combine(root, "docs/hud-640x480.png"), png);
        }
    }
}
