namespace EdgeVision.Quantization;

/// <summary>What <c>edgevision quantize</c> was asked for; validated before any image is read.</summary>
public sealed record QuantizationSettings
{
    public const int MaxCalibrationSize = 100_000;

    public CalibrationMethod Method { get; init; } = CalibrationMethod.Entropy;

    /// <summary>For <see cref="CalibrationMethod.Percentile"/>: the percentile of |x| kept unclipped.</summary>
    public double Percentile { get; init; } = 99.99;

    public int CalibrationSize { get; init; } = 512;

    public int Batch { get; init; } = ActivationCalibrator.DefaultBatch;

    public void Validate()
    {
        if (!Enum.IsDefined(Method)) throw new ArgumentException($"unknown calibration method {(int)Method}");
        if (Percentile is <= 50 or > 100 || double.IsNaN(Percentile))
            throw new ArgumentException($"percentile {Percentile} is outside (50, 100]");
        if (CalibrationSize is < 1 or > MaxCalibrationSize)
            throw new ArgumentException($"calibration size {CalibrationSize} is outside 1..{MaxCalibrationSize}");
        if (Batch is < 1 or > 256) throw new ArgumentException($"calibration batch {Batch} is outside 1..256");
    }

    /// <summary>What the int8 model's metadata records, e.g. "entropy, 512 images of fashion-mnist/train".</summary>
    public string Describe(int images, string dataset) => Method switch
    {
        CalibrationMethod.Percentile => $"percentile {Percentile.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)}, {images} images of {dataset}",
        _ => $"{Method.Name()}, {images} images of {dataset}",
    };
}
