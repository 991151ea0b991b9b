namespace EdgeVision.Quantization;

/// <summary>
/// One affine quantization, q = clamp(round(x / Scale) + ZeroPoint, Min, Max), with ONNX's QuantizeLinear
/// semantics (round half to even). Activations use uint8 asymmetric, weights int8 symmetric: the pair
/// ONNX Runtime turns into its U8S8 VNNI kernels on x86-64.
/// </summary>
public readonly record struct QuantizationParameters(float Scale, int ZeroPoint, int Min, int Max)
{
    /// <summary>The smallest scale written, so an all-zero tensor still yields a valid (non-zero) scale.</summary>
    public const float MinimumScale = 1e-8f;

    /// <summary>uint8 over [rmin, rmax] widened to contain 0 (so zero padding and ReLU's 0 are exact).</summary>
    public static QuantizationParameters Uint8Asymmetric(float rmin, float rmax)
    {
        if (!float.IsFinite(rmin) || !float.IsFinite(rmax) || rmin > rmax)
            throw new ArgumentException($"invalid calibration range [{rmin}, {rmax}]");
        rmin = MathF.Min(rmin, 0f);
        rmax = MathF.Max(rmax, 0f);
        float scale = MathF.Max((rmax - rmin) / 255f, MinimumScale);
        int zeroPoint = Math.Clamp((int)MathF.Round(-rmin / scale, MidpointRounding.ToEven), 0, 255);
        return new QuantizationParameters(scale, zeroPoint, 0, 255);
    }

    /// <summary>int8 symmetric over [-absMax, absMax] in [-127, 127] (the restricted range ORT and TensorRT use for weights).</summary>
    public static QuantizationParameters Int8Symmetric(float absMax)
    {
        if (!float.IsFinite(absMax) || absMax < 0) throw new ArgumentException($"invalid absolute maximum {absMax}");
        return new QuantizationParameters(MathF.Max(absMax / 127f, MinimumScale), 0, -127, 127);
    }

    public int Quantize(float x)
    {
        float q = MathF.Round(x / Scale, MidpointRounding.ToEven) + ZeroPoint;
        if (float.IsNaN(q)) return ZeroPoint;
        return (int)Math.Clamp(q, Min, Max);
    }

    public float Dequantize(int q) => (q - ZeroPoint) * Scale;

    /// <summary>The real values representable without clipping.</summary>
    public float RangeMin => Dequantize(Min);

    public float RangeMax => Dequantize(Max);
}
