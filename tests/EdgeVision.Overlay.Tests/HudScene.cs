using EdgeVision.Core.Model;
using OpenCvSharp;

namespace EdgeVision.Overlay.Tests;

/// <summary>A busy background and a fully populated state, so every HUD element has something to draw on.</summary>
internal static class HudScene
{
    public static readonly string[] Labels =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static Mat Background(int width, int height)
    {
        // A deterministic blocky pattern: busy enough that every drawn pixel shows, identical on every call.
        var random = new Random(12345);
        using var small = new Mat(48, 64, MatType.CV_8UC3);
        for (int y = 0; y < 48; y++)
        {
            for (int x = 0; x < 64; x++)
                small.Set(y, x, new Vec3b((byte)random.Next(40, 200), (byte)random.Next(40, 200), (byte)random.Next(40, 200)));
        }
        var image = new Mat();
        Cv2.Resize(small, image, new Size(width, height), interpolation: InterpolationFlags.Nearest);
        return image;
    }

    public static HudState State(int width, int height)
    {
        var state = new HudState
        {
            SourceName = "front-door",
            Fps = 29.97,
            InferenceMs = 4.2,
            LatencyMs = 38.5,
            Provider = "TensorRT",
            ModelName = "resnet18-fashion",
            Precision = Precision.Int8,
            Dropped = 12,
            Labels = Labels,
        };
        int side = Math.Min(width, height);
        state.Reticle = new Rect((width - side) / 2, (height - side) / 2, side, side);
        state.SetTopK([7, 5, 9], [0.91f, 0.06f, 0.02f]);
        for (int i = 0; i < 20; i++) state.RecordOutcome(i % 10 == 0 ? 1 : 7, 7);
        state.GroundTruth = 7;
        for (int i = 0; i < 90; i++) state.FrameTimes.Add(30 + 8 * Math.Sin(i / 5.0) + (i % 37 == 0 ? 25 : 0));
        return state;
    }
}
