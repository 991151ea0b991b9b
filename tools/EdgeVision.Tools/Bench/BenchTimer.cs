using System.Diagnostics;

namespace EdgeVision.Tools.Bench;

/// <summary>Time per item of repeated actions: median over several runs, each long enough to time reliably.</summary>
public static class BenchTimer
{
    public sealed record Timing(double MedianSeconds, double BestSeconds, int Runs, int IterationsPerRun);

    /// <summary>How to measure: timed runs per action, the minimum length of one run, untimed iterations before.</summary>
    public sealed record Plan(int Runs, double RunSeconds, int WarmUpIterations);

    /// <summary>
    /// Idle time before each timed run. ONNX Runtime's and OpenCV's worker threads spin for a while after their
    /// last job; without the pause the pipeline timed next shares the cores with the previous one's spinners.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(150);

    /// <param name="iteration">One iteration of the work.</param>
    /// <param name="itemsPerIteration">Frames (or multiply-adds) one iteration handles; results are per item.</param>
    public static Timing Measure(Action iteration, int itemsPerIteration, Plan s, CancellationToken ct) =>
        MeasureInterleaved([iteration], itemsPerIteration, s, ct)[0];

    /// <summary>
    /// Times several actions round-robin — run r of every action before run r + 1 of any — so a change in the
    /// machine's speed during the measurement (boost clock, a neighbour) spreads over all of them instead of
    /// favouring whichever ran first.
    /// </summary>
    public static Timing[] MeasureInterleaved(IReadOnlyList<Action> iterations, int itemsPerIteration, Plan s, CancellationToken ct)
    {
        var sw = new Stopwatch();
        var perRun = new int[iterations.Count];
        for (int k = 0; k < iterations.Count; k++)
        {
            for (int i = 0; i < s.WarmUpIterations; i++)
            {
                ct.ThrowIfCancellationRequested();
                iterations[k]();
            }
            // Calibrate: one timed iteration tells how many fill a run.
            sw.Restart();
            iterations[k]();
            double once = Math.Max(sw.Elapsed.TotalSeconds, 1e-7);
            perRun[k] = Math.Clamp((int)Math.Ceiling(s.RunSeconds / once), 1, 1_000_000);
        }

        var perItem = iterations.Select(_ => new double[s.Runs]).ToArray();
        for (int r = 0; r < s.Runs; r++)
        {
            for (int k = 0; k < iterations.Count; k++)
            {
                ct.ThrowIfCancellationRequested();
                Thread.Sleep(Settle);
                sw.Restart();
                for (int i = 0; i < perRun[k]; i++) iterations[k]();
                perItem[k][r] = sw.Elapsed.TotalSeconds / ((double)perRun[k] * itemsPerIteration);
            }
        }
        return perItem.Select((times, k) =>
        {
            Array.Sort(times);
            double median = times.Length % 2 == 1
                ? times[times.Length / 2]
                : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
            return new Timing(median, times[0], s.Runs, perRun[k]);
        }).ToArray();
    }
}
