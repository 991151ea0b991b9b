using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeVision.Daemon.Tests.Http;

/// <summary>
/// A strict reader of the Prometheus text format 0.0.4, enough to prove the exposition is well formed:
/// every sample belongs to a family declared by # TYPE before it, names and labels are syntactically valid,
/// values parse, and histogram buckets are cumulative and end in +Inf equal to _count.
/// </summary>
internal static partial class PrometheusParser
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed record Family(string Name, string Type, List<Sample> Samples);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""^(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)"$""")]
    private static partial Regex LabelPair();

    public static Dictionary<string, Family> Parse(string text)
    {
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        Family? current = null;
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (line.StartsWith("# HELP ", StringComparison.Ordinal)) continue;
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                if (parts.Length != 4 || parts[3] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    throw new FormatException($"bad TYPE line '{line}'");
                if (families.ContainsKey(parts[2])) throw new FormatException($"family {parts[2]} declared twice");
                current = new Family(parts[2], parts[3], []);
                families[parts[2]] = current;
                continue;
            }
            if (line.StartsWith('#')) continue;
            var match = SampleLine().Match(line);
            if (!match.Success) throw new FormatException($"bad sample line '{line}'");
            string name = match.Groups["name"].Value;
            if (current is null || !(name == current.Name || (current.Type == "histogram" &&
                (name == current.Name + "_bucket" || name == current.Name + "_sum" || name == current.Name + "_count"))))
                throw new FormatException($"sample {name} outside its family's TYPE block");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (match.Groups["labels"].Success && match.Groups["labels"].Value.Length > 0)
            {
                foreach (string pair in SplitLabels(match.Groups["labels"].Value))
                {
                    var lm = LabelPair().Match(pair);
                    if (!lm.Success) throw new FormatException($"bad label '{pair}' in '{line}'");
                    labels[lm.Groups["key"].Value] = lm.Groups["value"].Value;
                }
            }
            string valueText = match.Groups["value"].Value;
            double value = valueText switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            current.Samples.Add(new Sample(name, labels, value));
        }
        foreach (var family in families.Values.Where(f => f.Type == "histogram")) CheckHistogram(family);
        return families;
    }

    private static void CheckHistogram(Family family)
    {
        var buckets = family.Samples.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).ToArray();
        if (buckets.Length == 0 || buckets[^1].Labels["le"] != "+Inf") throw new FormatException($"{family.Name}: no +Inf bucket last");
        for (int i = 1; i < buckets.Length; i++)
        {
            if (buckets[i].Value < buckets[i - 1].Value) throw new FormatException($"{family.Name}: buckets are not cumulative");
        }
        double count = family.Samples.Single(s => s.Name == family.Name + "_count").Value;
        if (count != buckets[^1].Value) throw new FormatException($"{family.Name}: _count {count} != +Inf bucket {buckets[^1].Value}");
    }

    private static IEnumerable<string> SplitLabels(string labels)
    {
        int start = 0;
        bool quoted = false;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] == '\\') { i++; continue; }
            if (labels[i] == '"') quoted = !quoted;
            else if (labels[i] == ',' && !quoted)
            {
                yield return labels[start..i];
                start = i + 1;
            }
        }
        if (start < labels.Length) yield return labels[start..];
    }
}
