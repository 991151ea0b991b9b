using System.Globalization;
using OpenCvSharp;

namespace EdgeVision.Capture;

/// <summary>
/// The demo's images and their ground truth, decoded once: an index.csv of "file,label" next to the images
/// (models/demo/fashion-mnist). Grey images; the demo composes them onto its canvas.
/// </summary>
public sealed class DemoImageSet : IDisposable
{
    public const string DefaultRelativePath = "models/demo/fashion-mnist";
    public const string IndexFileName = "index.csv";

    private readonly List<Mat> _images;

    private DemoImageSet(string folder, List<Mat> images, int[] labels, IReadOnlyList<string> names)
    {
        Folder = folder;
        _images = images;
        Labels = labels;
        ClassNames = names;
    }

    public string Folder { get; }

    public int Count => _images.Count;

    /// <summary>Ground-truth class index of each image.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Class names from labels.txt when present (index order), else empty.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The decoded grey image (CV_8UC1) at <paramref name="index"/>.</summary>
    public Mat Image(int index) => _images[index];

    /// <summary>The shipped demo folder: next to the application, else found upwards from it or the working directory.</summary>
    public static string? FindDefaultFolder()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, DefaultRelativePath);
                if (File.Exists(Path.Combine(candidate, IndexFileName))) return candidate;
            }
        }
        return null;
    }

    public static DemoImageSet Load(string? folder)
    {
        folder ??= FindDefaultFolder()
            ?? throw new SourceException($"demo images not found: no {DefaultRelativePath}/{IndexFileName} next to the application or above it; set DemoPath");
        string index = Path.Combine(folder, IndexFileName);
        if (!File.Exists(index)) throw new SourceException($"demo images: {index} does not exist");
        var images = new List<Mat>();
        var labels = new List<int>();
        try
        {
            int lineNumber = 0;
            foreach (string line in File.ReadLines(index))
            {
                lineNumber++;
                if (lineNumber == 1 && line.StartsWith("file,", StringComparison.OrdinalIgnoreCase)) continue;
                if (string.IsNullOrWhiteSpace(line)) continue;
                string[] parts = line.Split(',');
                if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int label))
                    throw new SourceException($"demo images: {index} line {lineNumber} is not 'file,label': '{line}'");
                string file = Path.Combine(folder, parts[0]);
                if (Path.GetFileName(parts[0]) != parts[0])
                    throw new SourceException($"demo images: {index} line {lineNumber} names a file outside the folder: '{parts[0]}'");
                var image = Cv2.ImRead(file, ImreadModes.Grayscale);
                if (image.Empty())
                {
                    image.Dispose();
                    throw new SourceException($"demo images: {file} (line {lineNumber}) cannot be decoded");
                }
                images.Add(image);
                labels.Add(label);
            }
            if (images.Count == 0) throw new SourceException($"demo images: {index} lists no images");
        }
        catch
        {
            foreach (var image in images) image.Dispose();
            throw;
        }
        string labelsFile = Path.Combine(folder, "labels.txt");
        IReadOnlyList<string> names = File.Exists(labelsFile)
            ? File.ReadAllLines(labelsFile).Where(l => l.Length > 0).ToArray()
            : [];
        return new DemoImageSet(folder, images, labels.ToArray(), names);
    }

    public void Dispose()
    {
        foreach (var image in _images) image.Dispose();
        _images.Clear();
    }
}
