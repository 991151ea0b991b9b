namespace EdgeVision.Quantization;

/// <summary>
/// What calibration saw of one activation tensor: its minimum, maximum and a histogram of |x| with
/// <see cref="Bins"/> bins starting at 0. The histogram's range is set by the first batch and doubled
/// (adjacent bins merged) whenever a later batch exceeds it, so one pass over the images suffices and
/// the result depends only on the images and their order.
/// </summary>
public sealed class TensorStatistics
{
    public const int Bins = 2048;

    private readonly long[] _histogram = new long[Bins];
    private long _zerosBeforeRange; // exact zeros seen while every value so far was zero (no bin width yet)

    public TensorStatistics(string name) => Name = name;

    public string Name { get; }
    public float Min { get; private set; } = float.PositiveInfinity;
    public float Max { get; private set; } = float.NegativeInfinity;
    public long Count { get; private set; }

    /// <summary>Exact zeros (ReLU's dead half): represented exactly by any range, so entropy calibration ignores them.</summary>
    public long Zeros { get; private set; }

    /// <summary>Width of one bin of |x|; 0 until a non-zero value was seen.</summary>
    public double BinWidth { get; private set; }

    public ReadOnlySpan<long> Histogram => _histogram;

    public void Add(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) return;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (!float.IsFinite(v))
                throw new InvalidDataException($"tensor '{Name}' holds a non-finite value ({v}) during calibration; the fp32 model itself overflows");
            if (v < min) min = v;
            if (v > max) max = v;
        }
        Min = MathF.Min(Min, min);
        Max = MathF.Max(Max, max);
        Count += values.Length;

        double absMax = Math.Max(Math.Abs((double)min), Math.Abs((double)max));
        if (BinWidth == 0)
        {
            if (absMax == 0)
            {
                _zerosBeforeRange += values.Length;
                Zeros += values.Length;
                return;
            }
            BinWidth = absMax / Bins;
            _histogram[0] += _zerosBeforeRange;
            _zerosBeforeRange = 0;
        }
        while (absMax > BinWidth * Bins) Widen();

        double inverse = 1.0 / BinWidth;
        foreach (float v in values)
        {
            if (v == 0) Zeros++;
            int bin = (int)(Math.Abs(v) * inverse);
            _histogram[bin >= Bins ? Bins - 1 : bin]++;
        }
    }

    /// <summary>The |x| below which <paramref name="percentile"/> % of the values lie (linear inside a bin).</summary>
    public float AbsPercentile(double percentile)
    {
        if (percentile is <= 0 or > 100) throw new ArgumentOutOfRangeException(nameof(percentile), $"percentile {percentile} is outside (0, 100]");
        if (BinWidth == 0) return 0f;
        long total = 0;
        foreach (long c in _histogram) total += c;
        double target = total * percentile / 100.0;
        double cumulative = 0;
        for (int i = 0; i < Bins; i++)
        {
            long c = _histogram[i];
            if (cumulative + c >= target && c > 0)
            {
                double fraction = (target - cumulative) / c;
                return (float)Math.Min((i + fraction) * BinWidth, AbsMax);
            }
            cumulative += c;
        }
        return AbsMax;
    }

    /// <summary>The histogram without the exact zeros (they all sit in bin 0).</summary>
    public long[] NonZeroHistogram()
    {
        var h = _histogram.ToArray();
        h[0] -= Zeros;
        return h;
    }

    public float AbsMax => Count == 0 ? 0f : MathF.Max(MathF.Abs(Min), MathF.Abs(Max));

    private void Widen()
    {
        for (int i = 0; i < Bins / 2; i++) _histogram[i] = _histogram[2 * i] + _histogram[2 * i + 1];
        Array.Clear(_histogram, Bins / 2, Bins / 2);
        BinWidth *= 2;
    }
}
