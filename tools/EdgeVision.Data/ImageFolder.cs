using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace EdgeVision.Data;

/// <summary>
/// <c>DIR/train/&lt;class&gt;/*.jpg|png</c> and <c>DIR/val/&lt;class&gt;/…</c>; without val/ (the daemon's
/// capture writes train/ only) a stratified hold-out of train (<see cref="StratifiedHoldOut"/>). Class names come from the train folders; images are decoded with OpenCV and
/// stretched to one size, kept in BGR.
/// </summary>
public static class ImageFolder
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp" };

    /// <param name="holdOutFraction">Without val/, the stratified fraction of train held out for validation (default 20 %).</param>
    /// <param name="seed">Seeds that hold-out.</param>
    public static DatasetSplits Load(string root, int width, int height, ILogger? logger = null, double? holdOutFraction = null, int seed = 1)
    {
        logger ??= NullLogger.Instance;
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"image folder {root} does not exist");
        string trainDir = Path.Combine(root, "train");
        string valDir = Path.Combine(root, "val");
        if (!Directory.Exists(trainDir)) throw new DirectoryNotFoundException($"image folder {root} has no train/ directory");
        var classes = Directory.GetDirectories(trainDir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2) throw new InvalidDataException($"{trainDir}: needs at least 2 class folders, found {classes.Length}");
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)));
        if (!Directory.Exists(valDir))
        {
            // The daemon's captures have train/ only: validate on a seeded, stratified hold-out instead of failing.
            double fraction = holdOutFraction ?? StratifiedHoldOut.DefaultFraction;
            var all = LoadSplit(trainDir, classes, width, height, logger, requireEveryClass: true);
            logger.LogInformation("{Root} has no val/: holding out {Fraction:P0} of each class (seed {Seed})", root, fraction, seed);
            return StratifiedHoldOut.Split(name, all, fraction, seed);
        }
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
        var files = new List<string>();
        var skipped = new List<SkippedImage>();
        using var resized = new Mat();
        for (int c = 0; c < classes.Count; c++)
        {
            string dir = Path.Combine(splitDir, classes[c]);
            var classFiles = Directory.Exists(dir)
                ? Directory.EnumerateFiles(dir).Where(f => Extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal).ToArray()
                : [];
            int loaded = 0;
            foreach (string file in classFiles)
            {
                using var image = ImageFileDecoder.TryDecode(file, out string reason);
                if (image is null)
                {
                    skipped.Add(new SkippedImage(file, reason));
                    logger.LogWarning("Skipping unreadable image {File}: {Reason}", file, reason);
                    continue;
                }
                Cv2.Resize(image, resized, new Size(width, height), interpolation: InterpolationFlags.Area);
                var row = new byte[imageBytes];
                System.Runtime.InteropServices.Marshal.Copy(resized.Data, row, 0, imageBytes);
                pixels.Write(row);
                labels.Add(c);
                files.Add(file);
                loaded++;
            }
            if (loaded == 0 && requireEveryClass)
                throw new InvalidDataException($"{dir}: class '{classes[c]}' has no readable images");
        }
        if (labels.Count == 0) throw new InvalidDataException($"{splitDir}: the split holds no readable images");
        logger.LogInformation("Loaded {Count} images of {Classes} classes from {Split}; skipped {Skipped} unreadable", labels.Count, classes.Count, splitDir, skipped.Count);
        if (skipped.Count > 0) logger.LogWarning("Skipped {Skipped} unreadable images in {Split}", skipped.Count, splitDir);
        return new ImageDataset(splitDir, pixels.ToArray(), labels.ToArray(), height, width, 3, classes) { Files = files.ToArray(), Skipped = skipped };
    }
}
