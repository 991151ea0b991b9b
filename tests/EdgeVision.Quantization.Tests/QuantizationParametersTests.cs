using EdgeVision.Quantization;

namespace EdgeVision.Quantization.Tests;

public sealed class QuantizationParametersTests
{
    [Fact]
    public void Uint8_round_trip_error_is_at_most_half_a_step_inside_the_range()
    {
        var p = QuantizationParameters.Uint8Asymmetric(-1.7f, 5.3f);
        for (float x = -1.7f; x <= 5.3f; x += 0.0013f)
        {
            float error = MathF.Abs(x - p.Dequantize(p.Quantize(x)));
            Assert.True(error <= p.Scale / 2 + 1e-6f, $"x={x}: error {error} > scale/2 {p.Scale / 2}");
        }
    }

    [Fact]
    public void Values_outside_the_range_clip_to_its_ends()
    {
        var p = QuantizationParameters.Uint8Asymmetric(-1f, 3f);
        Assert.Equal(255, p.Quantize(100f));
        Assert.Equal(0, p.Quantize(-100f));
        Assert.Equal(p.RangeMax, p.Dequantize(p.Quantize(7f)));
        Assert.Equal(p.RangeMin, p.Dequantize(p.Quantize(-7f)));
        Assert.InRange(p.RangeMax, 3f - p.Scale, 3f + p.Scale);
    }

    [Fact]
    public void Zero_is_exact_and_a_one_sided_range_has_zero_point_zero()
    {
        var relu = QuantizationParameters.Uint8Asymmetric(0f, 6f);
        Assert.Equal(0, relu.ZeroPoint);
        var mixed = QuantizationParameters.Uint8Asymmetric(-2f, 6f);
        Assert.Equal(0f, mixed.Dequantize(mixed.Quantize(0f)));
        // A range not containing zero is widened to contain it (zero padding must stay exact).
        var positive = QuantizationParameters.Uint8Asymmetric(2f, 6f);
        Assert.Equal(0, positive.ZeroPoint);
        Assert.Equal(6f / 255f, positive.Scale, 6);
    }

    [Fact]
    public void Int8_symmetric_uses_the_restricted_range_and_rounds_half_to_even()
    {
        var p = QuantizationParameters.Int8Symmetric(12.7f);
        Assert.Equal(0.1f, p.Scale, 6);
        Assert.Equal(127, p.Quantize(12.7f));
        Assert.Equal(-127, p.Quantize(-50f));
        var unit = QuantizationParameters.Int8Symmetric(127f);
        Assert.Equal(2, unit.Quantize(2.5f)); // ONNX QuantizeLinear rounds half to even
        Assert.Equal(4, unit.Quantize(3.5f));
        Assert.Equal(-2, unit.Quantize(-2.5f));
    }

    [Fact]
    public void Invalid_ranges_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => QuantizationParameters.Uint8Asymmetric(3f, 1f));
        Assert.Throws<ArgumentException>(() => QuantizationParameters.Uint8Asymmetric(float.NaN, 1f));
        Assert.Throws<ArgumentException>(() => QuantizationParameters.Int8Symmetric(-1f));
    }

    [Fact]
    public void Per_channel_scales_follow_each_output_channels_largest_weight()
    {
        // [2 out, 1 in, 2, 2]: channel 0 spans ±0.5, channel 1 spans ±12.7.
        float[] w = [0.5f, -0.25f, 0.1f, 0f, 12.7f, -3f, 1f, -12.7f];
        var q = PerChannelWeights.Quantize(w, [2, 1, 2, 2], axis: 0);
        Assert.Equal(0.5f / 127, q.Scales[0], 7);
        Assert.Equal(0.1f, q.Scales[1], 6);
        Assert.Equal([127, -64, 25, 0, 127, -30, 10, -127], q.Values.Select(v => (int)v).ToArray());
    }

    [Fact]
    public void Per_channel_on_the_second_axis_quantizes_columns()
    {
        // Gemm weight [K=2, N=3] without transB: output channels are columns.
        float[] w = [1f, 0.2f, -3f, -2f, 0.1f, 1.5f];
        var q = PerChannelWeights.Quantize(w, [2, 3], axis: 1);
        Assert.Equal(new[] { 2f / 127, 0.2f / 127, 3f / 127 }, q.Scales, new ToleranceComparer(1e-7f));
        Assert.Equal(-127, q.Values[3]);
        Assert.Equal(127, q.Values[1]);
        Assert.Equal(-127, q.Values[2]);
    }

    [Fact]
    public void An_all_zero_channel_gets_a_valid_scale()
    {
        var q = PerChannelWeights.Quantize(new float[4], [2, 2], 0);
        Assert.All(q.Scales, s => Assert.True(s > 0));
        Assert.All(q.Values, v => Assert.Equal(0, v));
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
