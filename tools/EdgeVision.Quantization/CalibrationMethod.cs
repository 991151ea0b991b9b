namespace EdgeVision.Quantization;

/// <summary>How an activation's quantization range is chosen from what calibration saw.</summary>
public enum CalibrationMethod
{
    /// <summary>The observed minimum and maximum: no clipping, coarsest steps when there are outliers.</summary>
    MinMax,

    /// <summary>The given percentile of |x|: clips the rarest outliers.</summary>
    Percentile,

    /// <summary>The threshold minimising the KL divergence between the fp32 and int8 histograms (TensorRT).</summary>
    Entropy,
}

public static class CalibrationMethods
{
    public static CalibrationMethod Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "minmax" or "min_max" or "min-max" => CalibrationMethod.MinMax,
            "percentile" => CalibrationMethod.Percentile,
            "entropy" or "kl" => CalibrationMethod.Entropy,
            _ => throw new ArgumentException($"unknown calibration method '{text}'; use minmax, percentile or entropy"),
        };
    }

    public static string Name(this CalibrationMethod method) => method switch
    {
        CalibrationMethod.MinMax => "minmax",
        CalibrationMethod.Percentile => "percentile",
        CalibrationMethod.Entropy => "entropy",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown calibration method"),
    };
}
