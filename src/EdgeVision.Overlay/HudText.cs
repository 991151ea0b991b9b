using System.Globalization;

namespace EdgeVision.Overlay;

/// <summary>
/// Formatted HUD strings cached by the value they show, so a steady frame rate or a stable prediction formats
/// nothing per frame. Each cache is bounded and simply cleared when full.
/// </summary>
internal sealed class HudText
{
    private const int MaxEntries = 512;
    private readonly Dictionary<long, string> _fps = [];
    private readonly Dictionary<long, string> _inference = [];
    private readonly Dictionary<long, string> _latency = [];
    private readonly Dictionary<long, string> _dropped = [];
    private readonly Dictionary<long, string> _accuracy = [];
    private readonly Dictionary<long, string> _topK = [];
    private IReadOnlyList<string>? _labels;
    private string? _modelName;
    private EdgeVision.Core.Model.Precision _precision;
    private string _model = "";

    public string Fps(double fps) => Get(_fps, (long)Math.Round(fps * 10), static k => string.Create(CultureInfo.InvariantCulture, $"{k / 10.0:0.0} fps"));

    public string Inference(double ms) => Get(_inference, (long)Math.Round(ms * 10), static k => string.Create(CultureInfo.InvariantCulture, $"infer {k / 10.0:0.0} ms"));

    public string Latency(double ms) => Get(_latency, (long)Math.Round(ms * 10), static k => string.Create(CultureInfo.InvariantCulture, $"latency {k / 10.0:0.0} ms"));

    public string Dropped(long dropped) => Get(_dropped, dropped, static k => string.Create(CultureInfo.InvariantCulture, $"dropped {k}"));

    /// <summary>"acc 93.1% n=245"; n shown exactly to 999, then in thousands, so the string changes rarely.</summary>
    public string Accuracy(long correct, long total)
    {
        long permille = total == 0 ? 0 : (long)Math.Round(1000.0 * correct / total);
        long shownTotal = total < 1000 ? total : 1000 + total / 100; // buckets of 100 above 999
        return Get(_accuracy, permille * 10_000_000 + shownTotal, static k =>
        {
            long p = k / 10_000_000, n = k % 10_000_000;
            string count = n < 1000 ? n.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{(n - 1000) / 10.0:0.0}k");
            return string.Create(CultureInfo.InvariantCulture, $"acc {p / 10.0:0.0}% n={count}");
        });
    }

    /// <summary>"Sneaker 97%" (label text cached per label and whole percent).</summary>
    public string TopK(IReadOnlyList<string> labels, int index, float score)
    {
        if (!ReferenceEquals(labels, _labels))
        {
            _labels = labels;
            _topK.Clear();
        }
        int percent = (int)Math.Round(Math.Clamp(score, 0f, 1f) * 100);
        long key = (long)index * 1000 + percent;
        if (_topK.TryGetValue(key, out string? text)) return text;
        if (_topK.Count >= MaxEntries) _topK.Clear();
        string label = index >= 0 && index < labels.Count ? labels[index] : "#" + index.ToString(CultureInfo.InvariantCulture);
        text = string.Create(CultureInfo.InvariantCulture, $"{label} {percent}%");
        _topK[key] = text;
        return text;
    }

    public string Model(string name, EdgeVision.Core.Model.Precision precision)
    {
        if (!ReferenceEquals(name, _modelName) || precision != _precision)
        {
            _modelName = name;
            _precision = precision;
            _model = name.Length == 0 ? precision.ToString().ToUpperInvariant() : $"{name} {precision.ToString().ToUpperInvariant()}";
        }
        return _model;
    }

    private static string Get(Dictionary<long, string> cache, long key, Func<long, string> format)
    {
        if (cache.TryGetValue(key, out string? text)) return text;
        if (cache.Count >= MaxEntries) cache.Clear();
        text = format(key);
        cache[key] = text;
        return text;
    }
}
