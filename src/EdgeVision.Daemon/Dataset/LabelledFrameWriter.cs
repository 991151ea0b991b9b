using System.Security.Cryptography;
using EdgeVision.Core.IO;
using EdgeVision.Daemon.Http;
using EdgeVision.Daemon.Metrics;
using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace EdgeVision.Daemon.Dataset;

/// <summary>
/// Saves labelled frames for retraining in ImageFolder layout (<c>train/&lt;label&gt;/&lt;timestamp&gt;.png</c>) under
/// the dataset root, the layout <c>edgevision train</c> reads. Used by HTTP capture and the window's 'c' key.
/// Files are written to a temporary name and renamed, so a trainer never reads a half-written image, and the
/// resolved path is checked to stay inside the root whatever the label says.
/// </summary>
public sealed class LabelledFrameWriter
{
    public const string TrainFolder = "train";

    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    private readonly ILogger<LabelledFrameWriter> _logger;
    private readonly DaemonMetrics? _metrics;
    private readonly string _trainRoot;

    public LabelledFrameWriter(IOptions<HttpOptions> options, DaemonMetrics metrics, ILogger<LabelledFrameWriter> logger)
        : this(options.Value.ResolveDatasetRoot(), logger, metrics)
    {
    }

    public LabelledFrameWriter(string root, ILogger<LabelledFrameWriter> logger, DaemonMetrics? metrics = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        _trainRoot = Path.Combine(Root, TrainFolder);
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Absolute dataset root; images go under its <c>train/</c> folder.</summary>
    public string Root { get; }

    /// <summary>Writes <paramref name="bgr"/> as a PNG under <c>train/&lt;label&gt;/</c>.</summary>
    /// <exception cref="InvalidLabelException">The label breaks <see cref="LabelRules"/>.</exception>
    /// <exception cref="ArgumentException">The frame is empty or not 8-bit BGR/grey.</exception>
    public SavedLabelledFrame Save(string label, Mat bgr)
    {
        string directory = LabelDirectory(label);
        ArgumentNullException.ThrowIfNull(bgr);
        if (bgr.Empty()) throw new ArgumentException("the frame to capture is empty", nameof(bgr));
        if (bgr.Depth() != MatType.CV_8U || bgr.Channels() is not (1 or 3))
            throw new ArgumentException($"the frame to capture must be 8-bit BGR or grey, not {bgr.Type()}", nameof(bgr));

        Cv2.ImEncode(".png", bgr, out byte[] png);
        Directory.CreateDirectory(directory);
        string name = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss'.'fff'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}.png";
        string finalPath = Path.Combine(directory, name);
        AtomicFile.WriteBytes(finalPath, png, overwrite: false);

        int count = CountImages(directory);
        _metrics?.CaptureSaved();
        _logger.LogInformation("Captured {Label} frame {Width}x{Height} to {Path} ({Count} for this label)",
            label, bgr.Width, bgr.Height, finalPath, count);
        return new SavedLabelledFrame(label, finalPath, Path.GetRelativePath(Root, finalPath), bgr.Width, bgr.Height, count);
    }

    /// <summary>Images per label under <c>train/</c>, sorted by label; empty when nothing was captured yet.</summary>
    public IReadOnlyDictionary<string, int> CountPerLabel()
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (!Directory.Exists(_trainRoot)) return counts;
        foreach (string directory in Directory.EnumerateDirectories(_trainRoot))
        {
            counts[Path.GetFileName(directory)] = CountImages(directory);
        }
        return counts;
    }

    /// <summary>The directory for <paramref name="label"/>, proven to lie inside <c>train/</c>.</summary>
    public string LabelDirectory(string label)
    {
        if (LabelRules.Problem(label) is { } problem) throw new InvalidLabelException(label ?? "", problem);
        string directory = Path.GetFullPath(Path.Combine(_trainRoot, label));
        string inside = _trainRoot.EndsWith(Path.DirectorySeparatorChar) ? _trainRoot : _trainRoot + Path.DirectorySeparatorChar;
        // The rules above already refuse separators and '..'; this is the belt to their braces.
        if (!directory.StartsWith(inside, StringComparison.Ordinal))
            throw new InvalidLabelException(label, "label resolves outside the dataset root");
        return directory;
    }

    private static int CountImages(string directory) =>
        Directory.EnumerateFiles(directory).Count(f =>
            !Path.GetFileName(f).StartsWith('.') &&
            ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase));
}
