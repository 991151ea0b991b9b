using System.Diagnostics;
using EdgeVision.Capture;

namespace EdgeVision.Daemon.Metrics;

/// <summary>
/// Per-source health read from the sources' own counters at scrape time (nothing per frame): up, reopens after a
/// failure, and the age of the newest frame — the three a fleet dashboard alerts on.
/// </summary>
internal static class SourceHealth
{
    public static void WriteTo(TextWriter w, IReadOnlyList<SourceStats> sources)
    {
        if (sources.Count == 0) return;
        PrometheusText.Header(w, "edgevision_source_up", "gauge", "1 while a source delivers frames, 0 while it is connecting, down (NO SIGNAL), ended or stopped.");
        foreach (var s in sources) PrometheusText.Sample(w, "edgevision_source_up", Label(s), s.State == SourceState.Live ? 1 : 0);
        PrometheusText.Header(w, "edgevision_source_reconnects_total", "counter", "Times a source was opened again after it failed or stalled.");
        foreach (var s in sources) PrometheusText.Sample(w, "edgevision_source_reconnects_total", Label(s), s.Reopens);
        PrometheusText.Header(w, "edgevision_source_last_frame_age_seconds", "gauge", "Seconds since a source's newest frame (absent before its first).");
        foreach (var s in sources)
        {
            if (s.LastFrameTimestamp != 0)
                PrometheusText.Sample(w, "edgevision_source_last_frame_age_seconds", Label(s), Stopwatch.GetElapsedTime(s.LastFrameTimestamp).TotalSeconds);
        }
    }

    private static string Label(SourceStats s) => $"source=\"{PrometheusText.Escape(s.Name)}\"";
}
