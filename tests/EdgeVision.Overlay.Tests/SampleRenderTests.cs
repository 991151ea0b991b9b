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
        new HudRenderer(new HudOptions()).Draw(frame, state);

        Cv2.ImEncode(".png", frame, out byte[] png);
        Assert.True(png.Length > 10_000);
        if (Environment.GetEnvironmentVariable("EDGEVISION_WRITE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.Combine(root, "docs"));
            File.WriteAllBytes(Path.Combine(root, "docs/hud-640x480.png"), png);
        }
    }
}
