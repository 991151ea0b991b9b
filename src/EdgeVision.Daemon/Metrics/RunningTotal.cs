namespace EdgeVision.Daemon.Metrics;

/// <summary>
/// Count and sum of one histogram's observations, kept beside the <see cref="System.Diagnostics.Metrics.Histogram{T}"/>
/// for readers inside the process (the daemon benchmark's mean run time) that have no metrics listener.
/// Lock-free and allocation-free: the frame loop adds to it every run.
/// </summary>
public sealed class RunningTotal
{
    private long _count;
    private long _sumBits;

    public long Count => Interlocked.Read(ref _count);

    public double Sum => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _sumBits));

    public void Add(double value)
    {
        Interlocked.Increment(ref _count);
        long seen = Interlocked.Read(ref _sumBits);
        while (true)
        {
            long next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
            long actual = Interlocked.CompareExchange(ref _sumBits, next, seen);
            if (actual == seen) return;
            seen = actual;
        }
    }
}
