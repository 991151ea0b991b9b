using System.Globalization;

namespace EdgeVision.Daemon.Metrics;

/// <summary>
/// A Prometheus histogram with fixed upper bounds. Observing is lock-free and allocation-free so the frame
/// loop can call it every frame; buckets are cumulated only when scraped.
/// </summary>
public sealed class Histogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _count;
    private long _sumBits;

    public Histogram(params double[] upperBounds)
    {
        if (upperBounds.Length == 0) throw new ArgumentException("a histogram needs at least one bucket", nameof(upperBounds));
        for (int i = 1; i < upperBounds.Length; i++)
        {
            if (!(upperBounds[i] > upperBounds[i - 1]))
                throw new ArgumentException($"histogram bounds must increase: {upperBounds[i - 1]} then {upperBounds[i]}", nameof(upperBounds));
        }
        _bounds = upperBounds;
        _counts = new long[upperBounds.Length + 1];
    }

    public long Count => Interlocked.Read(ref _count);

    public double Sum => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _sumBits));

    public void Observe(double value)
    {
        if (double.IsNaN(value)) return;
        int bucket = Array.BinarySearch(_bounds, value);
        if (bucket < 0) bucket = ~bucket;
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _count);
        long seen = Interlocked.Read(ref _sumBits);
        while (true)
        {
            long next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
            long actual = Interlocked.CompareExchange(ref _sumBits, next, seen);
            if (actual == seen) break;
            seen = actual;
        }
    }

    /// <summary>Writes the _bucket, _sum and _count series (HELP/TYPE lines are the caller's).</summary>
    public void WriteSeries(TextWriter writer, string name, string labels)
    {
        string prefix = labels.Length == 0 ? "{" : "{" + labels + ",";
        long cumulative = 0;
        for (int i = 0; i < _bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            writer.Write($"{name}_bucket{prefix}le=\"{PrometheusText.Number(_bounds[i])}\"}} {cumulative.ToString(CultureInfo.InvariantCulture)}\n");
        }
        cumulative += Interlocked.Read(ref _counts[^1]);
        writer.Write($"{name}_bucket{prefix}le=\"+Inf\"}} {cumulative.ToString(CultureInfo.InvariantCulture)}\n");
        string braces = labels.Length == 0 ? "" : "{" + labels + "}";
        writer.Write($"{name}_sum{braces} {PrometheusText.Number(Sum)}\n");
        writer.Write($"{name}_count{braces} {cumulative.ToString(CultureInfo.InvariantCulture)}\n");
    }
}
