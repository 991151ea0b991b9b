using System.Globalization;
using System.Text;

namespace EdgeVision.Daemon.Metrics;

/// <summary>Formatting rules of the Prometheus text exposition format 0.0.4.</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Escapes a label value: backslash, double quote and line feed are the only specials.</summary>
    public static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny('\\', '"', '\n') < 0) return value;
        var sb = new StringBuilder(value.Length + 8);
        foreach (char c in value)
        {
            sb.Append(c switch { '\\' => "\\\\", '"' => "\\\"", '\n' => "\\n", _ => c.ToString() });
        }
        return sb.ToString();
    }

    public static void Header(TextWriter writer, string name, string type, string help)
    {
        writer.Write($"# HELP {name} {help}\n# TYPE {name} {type}\n");
    }

    public static void Sample(TextWriter writer, string name, string labels, double value)
    {
        writer.Write(labels.Length == 0 ? $"{name} {Number(value)}\n" : $"{name}{{{labels}}} {Number(value)}\n");
    }
}
