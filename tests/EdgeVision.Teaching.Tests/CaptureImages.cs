using OpenCvSharp;

namespace EdgeVision.Teaching.Tests;

/// <summary>Generated captures of clearly different content, each image a little different (position, size, noise).</summary>
internal static class CaptureImages
{
    public static readonly string[] Labels = ["disc", "stripes", "checker"];

    /// <summary>A BGR image of <paramref name="label"/>: a red disc on grey, blue diagonal stripes, or a green checkerboard.</summary>
    public static Mat Draw(string label, int seed, int width = 160, int height = 120)
    {
        var random = new Random(seed);
        var image = new Mat(height, width, MatType.CV_8UC3, new Scalar(90 + random.Next(30), 90 + random.Next(30), 90 + random.Next(30)));
        switch (label)
        {
            case "disc":
                Cv2.Circle(image, new Point(40 + random.Next(80), 30 + random.Next(60)), 20 + random.Next(15), new Scalar(30, 30, 220), -1);
                break;
            case "stripes":
                for (int x = -height + random.Next(12); x < width; x += 16)
                    Cv2.Line(image, new Point(x, 0), new Point(x + height, height), new Scalar(220, 60, 20), 5);
                break;
            case "checker":
                int cell = 14 + random.Next(6);
                for (int y = 0; y < height; y += cell)
                    for (int x = (y / cell % 2) * cell; x < width; x += 2 * cell)
                        Cv2.Rectangle(image, new Rect(x, y, cell, cell), new Scalar(40, 200, 40), -1);
                break;
            default:
                throw new ArgumentException($"no drawing for '{label}'", nameof(label));
        }
        using var noise = new Mat(height, width, MatType.CV_8UC3);
        Cv2.Randn(noise, new Scalar(0, 0, 0), new Scalar(8, 8, 8));
        Cv2.Add(image, noise, image);
        return image;
    }

    /// <summary>Writes <c>root/train/&lt;label&gt;/NNN.png</c> for each label, as the daemon's capture does.</summary>
    public static string WriteDataset(string root, int perLabel, IEnumerable<string>? labels = null, int seed = 0)
    {
        foreach (string label in labels ?? Labels)
        {
            string dir = Path.Combine(root, "train", label);
            Directory.CreateDirectory(dir);
            for (int i = 0; i < perLabel; i++)
            {
                using var image = Draw(label, seed * 1000 + i * 7 + label.Length);
                Cv2.ImWrite(Path.Combine(dir, $"{seed:D2}-{i:D3}.png"), image);
            }
        }
        return root;
    }
}
