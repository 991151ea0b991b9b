namespace EdgeVision.Quantization;

/// <summary>A weight tensor quantized to int8 with one symmetric scale per slice along <see cref="Axis"/>.</summary>
public sealed record PerChannelWeights(sbyte[] Values, float[] Scales, int Axis, int[] Shape)
{
    /// <summary>
    /// Quantizes <paramref name="data"/> (row-major, <paramref name="shape"/>) with scale_c = max|w_c| / 127
    /// for each index c of <paramref name="axis"/>: a channel of small weights keeps its resolution
    /// instead of sharing the scale of the largest channel.
    /// </summary>
    public static PerChannelWeights Quantize(ReadOnlySpan<float> data, int[] shape, int axis)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (axis < 0 || axis >= shape.Length)
            throw new ArgumentOutOfRangeException(nameof(axis), $"axis {axis} is outside the weight's rank {shape.Length}");
        long count = shape.Aggregate(1L, (a, d) => a * d);
        if (count != data.Length)
            throw new ArgumentException($"shape [{string.Join(",", shape)}] holds {count} values, the data {data.Length}");

        int channels = shape[axis];
        int inner = 1;
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        int outer = data.Length / Math.Max(1, channels * inner);

        var absMax = new float[channels];
        for (int o = 0; o < outer; o++)
        for (int c = 0; c < channels; c++)
        {
            var slice = data.Slice((o * channels + c) * inner, inner);
            foreach (float w in slice)
            {
                if (!float.IsFinite(w)) throw new ArgumentException($"weight value {w} in channel {c} is not finite");
                absMax[c] = MathF.Max(absMax[c], MathF.Abs(w));
            }
        }

        var parameters = absMax.Select(QuantizationParameters.Int8Symmetric).ToArray();
        var values = new sbyte[data.Length];
        for (int o = 0; o < outer; o++)
        for (int c = 0; c < channels; c++)
        {
            int start = (o * channels + c) * inner;
            var p = parameters[c];
            for (int i = 0; i < inner; i++) values[start + i] = (sbyte)p.Quantize(data[start + i]);
        }
        return new PerChannelWeights(values, parameters.Select(p => p.Scale).ToArray(), axis, shape);
    }
}
