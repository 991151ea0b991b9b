using OpenCvSharp;

namespace EdgeVision.Data;

/// <summary>
/// ROOT/&lt;class&gt;/*.{jpg,png,…}: torchvision's ImageFolder, and the layout the daemon's labelled-frame
/// capture writes. Files are taken in ordinal name order so runs are reproducible. Unlike
/// <see cref="ImageFolder"/>, which decodes a whole split at one size for training, images are read one
/// at a time at their own size, so the evaluator and the calibrator fit them exactly as the daemon does.
/// </summary>
public sealed class ImageFolderDataset : IImageDataset
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff" };
    private readonly List<(string Path, int Label)> _files;

    private ImageFolderDataset(string name, IReadOnlyList<string> classes, List<(string, int)> files, IReadOnlyList<SkippedImage> skipped)
    {
        Name = name;
        Classes = classes;
        _files = files;
        Skipped = skipped;
    }

    /// <summary>Files left out because they cannot be decoded (empty, truncated, not an image, unsupported depth or channels).</summary>
    public IReadOnlyList<SkippedImage> Skipped { get; }

    public string Name { get; }
    public IReadOnlyList<string> Classes { get; }
    public int Count => _files.Count;

    /// <summary>
    /// The split's folder: ROOT/<paramref name="split"/> when it exists (ROOT/val stands in for a missing
    /// ROOT/test); with <paramref name="fallBackToRoot"/>, ROOT itself when it has class folders only.
    /// Returns null when the split is absent.
    /// </summary>
    public static ImageFolderDataset? TryLoad(string root, string split, bool fallBackToRoot)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"image folder '{root}' does not exist");
        string[] candidates = split == "test" ? [Path.Combine(root, "test"), Path.Combine(root, "val")] : [Path.Combine(root, split)];
        string? dir = candidates.FirstOrDefault(Directory.Exists);
        if (dir is null && fallBackToRoot && !Directory.Exists(Path.Combine(root, "train"))) dir = root;
        return dir is null ? null : Load(dir);
    }

    public static ImageFolderDataset Load(string directory)
    {
        var classDirs = Directory.GetDirectories(directory).OrderBy(d => d, StringComparer.Ordinal).ToList();
        if (classDirs.Count == 0) throw new InvalidDataException($"image folder '{directory}' has no class sub-folders (expected DIR/<class>/*.jpg)");
        var classes = classDirs.Select(Path.GetFileName).Select(n => n!).ToList();
        var files = new List<(string, int)>();
        for (int c = 0; c < classDirs.Count; c++)
        {
            files.AddRange(Directory.EnumerateFiles(classDirs[c])
                .Where(f => Extensions.Contains(Path.GetExtension(f)))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => (f, c)));
        }
        // Every file is decoded once here, so an unreadable one is skipped and counted up front instead of stopping an
        // evaluation or a calibration batch half-way (and indices, counts and labels are those of readable images only).
        var readable = new List<(string, int)>();
        var skipped = new List<SkippedImage>();
        foreach (var (file, label) in files)
        {
            using var probe = ImageFileDecoder.TryDecode(file, out string reason);
            if (probe is null) skipped.Add(new SkippedImage(file, reason));
            else readable.Add((file, label));
        }
        if (readable.Count == 0)
            throw new InvalidDataException($"image folder '{directory}' holds no readable images ({files.Count} files, {skipped.Count} unreadable; {string.Join(", ", Extensions)})");
        return new ImageFolderDataset(directory, classes, readable, skipped);
    }

    public int Label(int index) => _files[index].Label;

    public Mat Read(int index)
    {
        string path = _files[index].Path;
        return ImageFileDecoder.TryDecode(path, out string reason)
               ?? throw new InvalidDataException($"'{path}' is no longer a readable image: {reason}");
    }
}
