using System.Diagnostics;

namespace EdgeVision.Tools.Bench;

/// <summary>Time per item of a repeated action: median over several runs, each long enough to time reliably.</summary>
public static class BenchTimer
{
    public sealed record Timing(double MedianSeconds, double BestSeconds, int Runs, int IterationsPerRun);

    /// <param name="iteration">One iteration of the work.</param>
    /// <param name="itemsPerIteration">Frames (or multiply-adds) one iteration handles; results are per item.</param>
    public static Timing Measure(Action iteration, int itemsPerIteration, BenchSettings s, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < s.WarmUpIterations; i++)
        {
            ct.ThrowIfCancellationRequested();
            iteration();
        }
        // Calibrate: one timed iteration tells how many fill a run.
        sw.Restart();
        iteration();
        double once = Math.Max(sw.Elapsed.TotalSeconds, 1e-7);
        int perRun = Math.Clamp((int)Math.Ceiling(s.RunSeconds / once), 1, 1_000_000);

        var perItem = new double[s.Runs];
        for (int r = 0; r < s.Runs; r++)
        {
            ct.ThrowIfCancellationRequested();
            sw.Restart();
            for (int i = 0; i < perRun; i++) iteration();
            perItem[r] = sw.Elapsed.TotalSeconds / ((double)perRun * itemsPerIteration);
        }
        Array.Sort(perItem);
        double median = perItem.Length % 2 == 1
            ? perItem[perItem.Length / 2]
            : (perItem[perItem.Length / 2 - 1] + perItem[perItem.Length / 2]) / 2;
        return new Timing(median, perItem[0], s.Runs, perRun);
    }
}
