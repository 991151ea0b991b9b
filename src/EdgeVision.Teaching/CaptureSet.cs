namespace EdgeVision.Teaching;

/// <summary>One captured image: its label and where it is.</summary>
public sealed record CaptureFile(string Label, string Path);

/// <summary>
/// The captured images to learn from, in ImageFolder layout: <c>&lt;root&gt;/train/&lt;label&gt;/*.png|jpg</c> as
/// <c>/api/capture</c> writes it, or <c>&lt;root&gt;/&lt;label&gt;/…</c> directly. Hidden files (a capture still being
/// written is a <c>.name.tmp</c>) are never read. Labels and files are in ordinal order, so a seeded split is repeatable.
/// </summary>
public sealed class CaptureSet
{
    public const string TrainFolder = "train";
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp"];

    private CaptureSet(string root, IReadOnlyList<string> labels, IReadOnlyList<CaptureFile> files)
    {
        Root = root;
        Labels = labels;
        Files = files;
    }

    /// <summary>The folder whose sub-folders are the labels.</summary>
    public string Root { get; }
    public IReadOnlyList<string> Labels { get; }
    public IReadOnlyList<CaptureFile> Files { get; }

    public int CountOf(string label) => Files.Count(f => f.Label == label);

    /// <summary>
    /// Lists <paramref name="datasetRoot"/>; <paramref name="labels"/> picks some labels (null or empty: every label
    /// folder). Throws <see cref="TeachingException"/> naming the root or the label that is missing.
    /// </summary>
    public static CaptureSet Scan(string datasetRoot, IReadOnlyList<string>? labels = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetRoot);
        string root = Path.GetFullPath(datasetRoot);
        if (!Directory.Exists(root)) throw new TeachingException($"the dataset root {root} does not exist; capture some frames first (POST /api/capture, key c)");
        string train = Path.Combine(root, TrainFolder);
        string labelRoot = Directory.Exists(train) ? train : root;

        var present = Directory.EnumerateDirectories(labelRoot)
            .Select(Path.GetFileName)
            .Where(n => !string.IsNullOrEmpty(n) && n[0] != '.')
            .Select(n => n!)
            .Order(StringComparer.Ordinal)
            .ToList();
        List<string> chosen;
        if (labels is { Count: > 0 })
        {
            chosen = [.. labels.Distinct(StringComparer.Ordinal)];
            var missing = chosen.Where(l => !present.Contains(l, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
                throw new TeachingException($"no captures for label{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))} under {labelRoot} (captured: {(present.Count == 0 ? "none" : string.Join(", ", present))})");
        }
        else
        {
            chosen = present;
        }
        var files = new List<CaptureFile>();
        foreach (string label in chosen)
        {
            files.AddRange(Directory.EnumerateFiles(Path.Combine(labelRoot, label))
                .Where(f => Path.GetFileName(f)[0] != '.' && ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .Select(f => new CaptureFile(label, f)));
        }
        return new CaptureSet(labelRoot, chosen, files);
    }
}
