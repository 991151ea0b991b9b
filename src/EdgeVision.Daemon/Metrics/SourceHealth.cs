using System.Diagnostics;
using System.Diagnostics.Metrics;
using EdgeVision.Capture;

namespace EdgeVision.Daemon.Metrics;

/// <summary>
/// Per-source health read from the sources' own counters at collection time (nothing per frame): up, reopens after a
/// failure, and the age of the newest frame — the three a fleet dashboard alerts on.
/// </summary>
internal static class SourceHealth
{
    public static void Register(Meter meter, Func<IReadOnlyList<SourceStats>> sources)
    {
        meter.CreateObservableGauge("edgevision_source_up",
            () => sources().Select(s => new Measurement<int>(s.State == SourceState.Live ? 1 : 0, MetricTags.Source(s.Name))).ToArray(),
            null, "1 while a source delivers frames, 0 while it is connecting, down (NO SIGNAL), ended or stopped.");
        meter.CreateObservableCounter("edgevision_source_reconnects_total",
            () => sources().Select(s => new Measurement<long>(s.Reopens, MetricTags.Source(s.Name))).ToArray(),
            "{reconnect}", "Times a source was opened again after it failed or stalled.");
        meter.CreateObservableGauge("edgevision_source_last_frame_age_seconds",
            () => sources().Where(s => s.LastFrameTimestamp != 0)
                .Select(s => new Measurement<double>(Stopwatch.GetElapsedTime(s.LastFrameTimestamp).TotalSeconds, MetricTags.Source(s.Name))).ToArray(),
            "s", "Seconds since a source's newest frame (absent before its first).");
    }
}
