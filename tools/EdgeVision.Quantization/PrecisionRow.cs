using System.Globalization;

namespace EdgeVision.Quantization;

/// <summary>One line of the precision table: a variant of a model, its size, accuracy and speed.</summary>
public sealed record PrecisionRow(
    string Variant, long Bytes, double? Top1, int TestImages, double ImagesPerSecondBatch1, double ImagesPerSecondBatch8)
{
    public string SizeText => Bytes >= 1 << 20
        ? (Bytes / 1048576.0).ToString("0.00", CultureInfo.InvariantCulture) + " MiB"
        : (Bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB";

    public string Top1Text => Top1 is { } t ? (t * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %" : "n/a";

    public static string Rate(double r) => r.ToString(r >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);
}
