using System.Globalization;
using System.Text;

namespace EdgeVision.Quantization;

/// <summary>
/// The precision comparison as markdown, and its placement in a docs file: each model's table sits
/// between its own marker comments inside a "Quantization and precision" section, so re-running the
/// command replaces that table and leaves every other section of the file alone.
/// </summary>
public static class PrecisionTable
{
    public const string SectionHeading = "## Quantization and precision";

    public static string Markdown(string model, IReadOnlyList<PrecisionRow> rows, string machine, string command, DateTimeOffset when, string provider = "CPU")
    {
        var fp32 = rows.FirstOrDefault(r => r.Variant == "fp32");
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### {model}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}. Measured {when.UtcDateTime:yyyy-MM-dd HH:mm} UTC with ONNX Runtime {provider} provider{(provider == "CPU" ? "" : " (img/s; top-1 measured on CPU)")}.");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(command);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("| variant | size | top-1 | img/s batch 1 | img/s batch 8 | speed-up batch 8 | top-1 change |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            string speedup = fp32 is null ? "" : (r.ImagesPerSecondBatch8 / fp32.ImagesPerSecondBatch8).ToString("0.00", CultureInfo.InvariantCulture) + "×";
            string delta = fp32?.Top1 is { } f && r.Top1 is { } t ? ((t - f) * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) + " pt" : "";
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Variant} | {r.SizeText} | {r.Top1Text} | {PrecisionRow.Rate(r.ImagesPerSecondBatch1)} | {PrecisionRow.Rate(r.ImagesPerSecondBatch8)} | {speedup} | {delta} |");
        }
        int tested = rows.Select(r => r.TestImages).DefaultIfEmpty(0).Max();
        if (tested > 0) sb.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Top-1 on {tested} test images.");
        return sb.ToString();
    }

    /// <summary>Writes <paramref name="markdown"/> for <paramref name="model"/> into <paramref name="path"/>, replacing that model's previous table.</summary>
    public static void Upsert(string path, string model, string markdown)
    {
        string begin = $"<!-- precision:{model}:begin -->", end = $"<!-- precision:{model}:end -->";
        string block = begin + "\n" + markdown.TrimEnd() + "\n" + end + "\n";
        string text = File.Exists(path) ? File.ReadAllText(path) : "";
        int b = text.IndexOf(begin, StringComparison.Ordinal), e = text.IndexOf(end, StringComparison.Ordinal);
        if (b >= 0 && e > b)
        {
            int after = e + end.Length;
            if (after < text.Length && text[after] == '\n') after++;
            text = text[..b] + block + text[after..];
        }
        else if (text.Contains(SectionHeading, StringComparison.Ordinal))
        {
            // Append at the end of the section: before the next "## " heading, or at the end of the file.
            int start = text.IndexOf(SectionHeading, StringComparison.Ordinal) + SectionHeading.Length;
            int next = text.IndexOf("\n## ", start, StringComparison.Ordinal);
            text = next < 0 ? text.TrimEnd() + "\n\n" + block : text[..(next + 1)].TrimEnd() + "\n\n" + block + "\n" + text[(next + 1)..];
        }
        else
        {
            text = (text.Length == 0 ? "" : text.TrimEnd() + "\n\n") + SectionHeading + "\n\n" + block;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text);
    }

    /// <summary>CPU model and core count, for the table's machine line.</summary>
    public static string Machine()
    {
        string cpu = "unknown CPU";
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            var flags = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? "" : "";
            if (flags.Contains(" avx512_vnni", StringComparison.Ordinal)) cpu += ", AVX-512 VNNI";
            else if (flags.Contains(" avx_vnni", StringComparison.Ordinal)) cpu += ", AVX-VNNI";
            else if (flags.Contains(" avx2", StringComparison.Ordinal)) cpu += ", AVX2 (no VNNI)";
        }
        catch (IOException)
        {
        }
        return $"{cpu}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
    }
}
