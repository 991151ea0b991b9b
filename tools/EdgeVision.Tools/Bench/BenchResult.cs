namespace EdgeVision.Tools.Bench;

/// <summary>One measured cell: a pipeline on a model at a batch size.</summary>
public sealed record BenchRow(string Model, int Batch, string Pipeline, double SecondsPerFrame, double BestSecondsPerFrame, long MultiplyAddsPerImage)
{
    public double FramesPerSecond => 1 / SecondsPerFrame;

    /// <summary>2 × multiply-adds × images/s.</summary>
    public double Gflops => 2.0 * MultiplyAddsPerImage * FramesPerSecond / 1e9;
}

/// <summary>Everything one bench run produced.</summary>
public sealed record BenchReport(
    BenchMachine Machine,
    string CommandLine,
    DateTimeOffset When,
    MatMulPeak.Result Peak,
    FmaPeak.Result Ceiling,
    IReadOnlyList<BenchRow> Rows,
    IReadOnlyDictionary<string, double> MaxProbabilityDifference,
    string Provider,
    IReadOnlyList<string> Notes);
