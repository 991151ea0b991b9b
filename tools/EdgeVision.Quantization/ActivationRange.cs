namespace EdgeVision.Quantization;

/// <summary>The real range an activation is quantized over, chosen by a <see cref="CalibrationMethod"/>.</summary>
public readonly record struct ActivationRange(float Min, float Max)
{
    public static ActivationRange From(TensorStatistics stats, CalibrationMethod method, double percentile = 99.99)
    {
        ArgumentNullException.ThrowIfNull(stats);
        if (stats.Count == 0) throw new InvalidOperationException($"tensor '{stats.Name}' was never seen during calibration");
        float threshold = method switch
        {
            CalibrationMethod.MinMax => stats.AbsMax,
            CalibrationMethod.Percentile => stats.AbsPercentile(percentile),
            // Exact zeros are left out: a ReLU output is half zeros, and that spike would drag the threshold down.
            CalibrationMethod.Entropy => stats.BinWidth == 0
                ? 0f
                : (float)Math.Min(
                    EntropyThreshold.Search(stats.NonZeroHistogram()) * stats.BinWidth,
                    stats.AbsMax),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown calibration method"),
        };
        // The threshold is on |x|; a one-signed tensor (ReLU output) keeps its exact zero side.
        return new ActivationRange(MathF.Max(stats.Min, -threshold), MathF.Min(stats.Max, threshold));
    }

    public QuantizationParameters ToUint8() => QuantizationParameters.Uint8Asymmetric(Min, Max);
}
