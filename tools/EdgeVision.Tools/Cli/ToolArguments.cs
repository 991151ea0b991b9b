using System.Globalization;

namespace EdgeVision.Tools.Cli;

/// <summary>
/// <c>--key value</c>, <c>--key=value</c> and bare <c>--flag</c> options plus positional arguments.
/// Every option must be read by the command; <see cref="EnsureAllUsed"/> turns typos into errors.
/// </summary>
public sealed class ToolArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public ToolArguments(IReadOnlyList<string> args)
    {
        var positional = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                string key = a[2..];
                string? value = null;
                int eq = key.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0)
                {
                    value = key[(eq + 1)..];
                    key = key[..eq];
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = args[++i];
                }
                if (!_options.TryAdd(key, value)) throw new UsageException($"option --{key} is given twice");
            }
            else
            {
                positional.Add(a);
            }
        }
        Positional = positional;
    }

    public IReadOnlyList<string> Positional { get; }

    public bool Has(string key)
    {
        _used.Add(key);
        return _options.ContainsKey(key);
    }

    public bool Flag(string key)
    {
        _used.Add(key);
        if (!_options.TryGetValue(key, out var v)) return false;
        return v switch
        {
            null or "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new UsageException($"--{key} is a flag; '{v}' is not true or false"),
        };
    }

    public string? String(string key)
    {
        _used.Add(key);
        if (!_options.TryGetValue(key, out var v)) return null;
        return v ?? throw new UsageException($"--{key} needs a value");
    }

    public string RequiredString(string key) =>
        String(key) ?? throw new UsageException($"--{key} is required");

    public string String(string key, string fallback) => String(key) ?? fallback;

    public int Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        string? s = String(key);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
            throw new UsageException($"--{key} must be an integer, not '{s}'");
        if (v < min || v > max) throw new UsageException($"--{key} must be in {min}..{max}, not {v}");
        return v;
    }

    public double Double(string key, double fallback, double min = double.MinValue, double max = double.MaxValue)
    {
        string? s = String(key);
        if (s is null) return fallback;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new UsageException($"--{key} must be a number, not '{s}'");
        if (v < min || v > max) throw new UsageException($"--{key} must be in {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}, not {s}");
        return v;
    }

    /// <summary>Comma-separated numbers, e.g. <c>--mean 0.485,0.456,0.406</c>.</summary>
    public float[]? Floats(string key)
    {
        string? s = String(key);
        if (s is null) return null;
        return s.Split(',').Select(p => float.TryParse(p.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float f) && float.IsFinite(f)
            ? f
            : throw new UsageException($"--{key} must be comma-separated numbers, not '{s}'")).ToArray();
    }

    public void EnsureAllUsed()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown.Select(k => "--" + k))}");
    }
}
