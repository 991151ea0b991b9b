using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace EdgeVision.Data;

/// <summary>
/// <c>DIR/train/&lt;class&gt;/*.jpg|png</c> and <c>DIR/val/&lt;class&gt;/…</c> (the layout the daemon's
/// capture writes). Class names come from the train folders; images are decoded with OpenCV and
/// stretched to one size, kept in BGR.
/// </summary>
public static class ImageFolder
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp" };

    public static DatasetSplits Load(string root, int width, int height, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"image folder {root} does not exist");
        string trainDir = Path.Combine(root, "train");
        string valDir = Path.Combine(root, "val");
        if (!Directory.Exists(trainDir)) throw new DirectoryNotFoundException($"image folder {root} has no train/ directory");
        if (!Directory.Exists(valDir)) throw new DirectoryNotFoundException($"image folder {root} has no val/ directory");
        var classes = Directory.GetDirectories(trainDir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2) throw new InvalidDataException($"{trainDir}: needs at least 2 class folders, found {classes.Length}");
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)));
        return new DatasetSplits(name,
            LoadSplit(trainDir, classes, width, height, logger, requireEveryClass: true),
            LoadSplit(valDir, classes, width, height, logger, requireEveryClass: false));
    }

    public static ImageDataset LoadSplit(string splitDir, IReadOnlyList<string> classes, int width, int height, ILogger logger, bool requireEveryClass)
    {
        if (width < 8 || height < 8) throw new ArgumentException($"image size {width}×{height} is too small (8×8 at least)");
        var unknown = Directory.GetDirectories(splitDir).Select(Path.GetFileName).Where(c => !classes.Contains(c!)).ToList();
        if (unknown.Count > 0) throw new InvalidDataException($"{splitDir}: class folder '{unknown[0]}' is not among the train classes");
        int imageBytes = width * height * 3;
        using var pixels = new MemoryStream();
        var labels = new List<int>();
        int skipped = 0;
        using var resized = new Mat();
        for (int c = 0; c < classes.Count; c++)
        {
            string dir = Path.Combine(splitDir, classes[c]);
            var files = Directory.Exists(dir)
                ? Directory.EnumerateFiles(dir).Where(f => Extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal).ToArray()
                : [];
            int loaded = 0;
            foreach (string file in files)
            {
                using var image = TryDecode(file);
                if (image is null)
                {
                    skipped++;
                    logger.LogWarning("Skipping unreadable image {File}", file);
                    continue;
                }
                Cv2.Resize(image, resized, new Size(width, height), interpolation: InterpolationFlags.Area);
                var row = new byte[imageBytes];
                System.Runtime.InteropServices.Marshal.Copy(resized.Data, row, 0, imageBytes);
                pixels.Write(row);
                labels.Add(c);
                loaded++;
            }
            if (loaded == 0 && requireEveryClass)
                throw new InvalidDataException($"{dir}: class '{classes[c]}' has no readable images");
        }
        if (labels.Count == 0) throw new InvalidDataException($"{splitDir}: the split holds no readable images");
        logger.LogInformation("Loaded {Count} images of {Classes} classes from {Split}; skipped {Skipped} unreadable", labels.Count, classes.Count, splitDir, skipped);
        return new ImageDataset(splitDir, pixels.ToArray(), labels.ToArray(), height, width, 3, classes);
    }

    private static Mat? TryDecode(string file)
    {
        try
        {
            byte[] bytes = File.ReadAllBytes(file);
            var mat = Cv2.ImDecode(bytes, ImreadModes.Color);
            if (mat.Empty() || mat.Type() != MatType.CV_8UC3)
            {
                mat.Dispose();
                return null;
            }
            return mat;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OpenCVException)
        {
            return null;
        }
    }
}
