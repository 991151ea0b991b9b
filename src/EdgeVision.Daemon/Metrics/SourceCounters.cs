namespace EdgeVision.Daemon.Metrics;

/// <summary>Per-source frame counters, updated with Interlocked by the capture threads and the frame loop.</summary>
internal sealed class SourceCounters
{
    public long Captured;
    public long Dropped;
    public long Inferred;
    public long Shown;
}
