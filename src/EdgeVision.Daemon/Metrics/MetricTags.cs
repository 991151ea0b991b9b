namespace EdgeVision.Daemon.Metrics;

/// <summary>The one-label tag lists the daemon's instruments use, built without allocating (a struct per call).</summary>
internal static class MetricTags
{
    public static KeyValuePair<string, object?> Source(string source) => new("source", source);

    public static KeyValuePair<string, object?> Stream(string kind) => new("stream", kind);
}
