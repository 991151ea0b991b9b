namespace EdgeVision.Quantization;

/// <summary>
/// TensorRT's entropy calibration (Migacz, "8-bit Inference with TensorRT", GTC 2017): for every candidate
/// threshold i (in bins) the reference distribution P is the histogram up to i with the clipped tail
/// folded into its last bin, Q is the same bins squeezed into <c>quantizedBins</c> levels and expanded
/// back; the threshold with the smallest KL(P‖Q) wins.
/// </summary>
public static class EntropyThreshold
{
    public const int DefaultQuantizedBins = 128;

    /// <summary>Returns the threshold in bins (the clipped |x| is threshold × bin width).</summary>
    public static int Search(ReadOnlySpan<long> histogram, int quantizedBins = DefaultQuantizedBins)
    {
        if (quantizedBins < 2) throw new ArgumentOutOfRangeException(nameof(quantizedBins), "at least 2 quantized bins are needed");
        int bins = histogram.Length;
        if (bins <= quantizedBins) return bins;

        // Trailing empty bins cannot improve anything; starting below the last used bin saves time.
        int used = bins;
        while (used > 0 && histogram[used - 1] == 0) used--;
        if (used <= quantizedBins) return Math.Max(used, 1);

        var suffix = new double[bins + 1];
        for (int i = bins - 1; i >= 0; i--) suffix[i] = suffix[i + 1] + histogram[i];

        var p = new double[used];
        var q = new double[used];
        double best = double.PositiveInfinity;
        int bestIndex = used;
        for (int i = quantizedBins; i <= used; i++)
        {
            for (int k = 0; k < i; k++) p[k] = histogram[k];
            p[i - 1] += suffix[i];

            double merged = (double)i / quantizedBins;
            for (int j = 0; j < quantizedBins; j++)
            {
                int start = (int)(j * merged);
                int end = j == quantizedBins - 1 ? i : (int)((j + 1) * merged);
                double sum = 0;
                int nonZero = 0;
                for (int k = start; k < end; k++)
                {
                    sum += histogram[k];
                    if (histogram[k] != 0) nonZero++;
                }
                double level = nonZero == 0 ? 0 : sum / nonZero;
                for (int k = start; k < end; k++) q[k] = histogram[k] == 0 ? 0 : level;
            }

            double kl = Divergence(p.AsSpan(0, i), q.AsSpan(0, i));
            if (kl < best)
            {
                best = kl;
                bestIndex = i;
            }
        }
        return bestIndex;
    }

    /// <summary>KL(P‖Q) of the normalised distributions; a P mass where Q has none costs as if Q held a tiny epsilon.</summary>
    internal static double Divergence(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        const double epsilon = 1e-10;
        double pSum = 0, qSum = 0;
        for (int k = 0; k < p.Length; k++)
        {
            pSum += p[k];
            qSum += q[k];
        }
        if (pSum == 0) return 0;
        if (qSum == 0) return double.PositiveInfinity;
        double kl = 0;
        for (int k = 0; k < p.Length; k++)
        {
            if (p[k] == 0) continue;
            double pk = p[k] / pSum;
            double qk = Math.Max(q[k] / qSum, epsilon);
            kl += pk * Math.Log(pk / qk);
        }
        return kl;
    }
}
