using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EdgeVision.Daemon.Metrics;

/// <summary>
/// The runtime and process series /metrics has always carried (dotnet_gc_*, process_*), under those names. The
/// runtime's own "System.Runtime" meter names them differently (dotnet.gc.collections with gc.heap.generation),
/// and the dashboards read these; both are available to dotnet-counters.
/// </summary>
internal static class RuntimeInstruments
{
    public static void Register(Meter meter)
    {
        meter.CreateObservableCounter("dotnet_gc_collections_total", Collections, "{collection}", "Garbage collections by generation.");
        meter.CreateObservableUpDownCounter("dotnet_gc_heap_size_bytes", () => GC.GetTotalMemory(false), "By", "Managed heap size after the last collection plus allocations since.");
        meter.CreateObservableCounter("dotnet_gc_allocated_bytes_total", () => GC.GetTotalAllocatedBytes(false), "By", "Managed bytes allocated since start.");
        meter.CreateObservableCounter("dotnet_gc_pause_seconds_total", () => GC.GetTotalPauseDuration().TotalSeconds, "s", "Time the runtime paused for garbage collection.");
        meter.CreateObservableUpDownCounter("process_resident_memory_bytes", () => Environment.WorkingSet, "By", "Resident set size.");
        meter.CreateObservableCounter("process_cpu_seconds_total", () => Environment.CpuUsage.TotalTime.TotalSeconds, "s", "User and system CPU time.");
        meter.CreateObservableUpDownCounter("process_threads", Threads, "{thread}", "Operating system threads.");
    }

    private static IEnumerable<Measurement<long>> Collections()
    {
        var generations = new Measurement<long>[GC.MaxGeneration + 1];
        for (int gen = 0; gen <= GC.MaxGeneration; gen++)
            generations[gen] = new Measurement<long>(GC.CollectionCount(gen), new KeyValuePair<string, object?>("generation", gen.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return generations;
    }

    private static int Threads()
    {
        using var process = Process.GetCurrentProcess();
        return process.Threads.Count;
    }
}
