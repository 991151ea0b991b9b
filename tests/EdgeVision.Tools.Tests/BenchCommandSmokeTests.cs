using EdgeVision.Tools.Bench;

namespace EdgeVision.Tools.Tests;

public sealed class BenchCommandSmokeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ev-bench-" + Guid.NewGuid().ToString("N"));

    public BenchCommandSmokeTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string[] Quick(string output) =>
        ["bench", "--quick", "--models", "resnet20", "--batches", "1,2", "--matmul", "64", "--frame", "320x240", "--output", output];

    [Fact]
    public async Task Quick_bench_writes_a_table_with_every_pipeline_and_batch_and_keeps_other_sections()
    {
        string output = Path.Combine(_dir, "BENCHMARKS.md");
        await File.WriteAllTextAsync(output, "# Benchmarks\n\n## Training throughput\n\nkeep me\n");

        Assert.Equal(0, (await CliRun.Of(Quick(output))).Code);
        // A second run replaces its own section instead of appending another one.
        Assert.Equal(0, (await CliRun.Of(Quick(output))).Code);

        string md = await File.ReadAllTextAsync(output);
        Assert.Contains("## Training throughput\n\nkeep me", md);
        Assert.Single(md.Split(BenchMarkdown.Heading).Skip(1));
        Assert.Contains("`edgevision bench --quick --models resnet20 --batches 1,2", md);
        Assert.Contains("| model | batch | pipeline | ms/frame |", md);
        foreach (int batch in new[] { 1, 2 })
        foreach (string pipeline in new[] { "(a) EdgeVision engine", "(b) ORT C# sample style", "(c) OpenCV DNN" })
            Assert.Contains($"| resnet20 | {batch} | {pipeline} |", md);
        Assert.Contains("fp32 peak: ORT MatMul 64×64", md);
        Assert.Matches(@"fp32 ceiling: independent (128|256|512)-bit FMAs on registers, 2 threads: \*\*[1-9][0-9.]* GFLOP/s\*\*", md);
        Assert.Contains("| of FMA ceiling |", md);
        Assert.Contains("CPU:", md);
        Assert.Contains("ONNX Runtime 1.", md);
        Assert.Contains("(a) faster than (b)", md);
    }

    [Fact]
    public void Fma_ceiling_reports_a_finite_rate_for_the_threads_asked()
    {
        // Shape only: how the rate scales with threads is a benchmark's finding (docs/BENCHMARKS.md), not a unit test's.
        var one = FmaPeak.Measure(1, 0.2, CancellationToken.None);
        var two = FmaPeak.Measure(2, 0.2, CancellationToken.None);
        Assert.Equal(1, one.Threads);
        Assert.Equal(2, two.Threads);
        Assert.All(new[] { one, two }, r => Assert.True(double.IsFinite(r.Gflops) && r.Gflops > 0, $"{r.Gflops} GFLOP/s"));
        Assert.Contains(one.VectorBits, new[] { 128, 256, 512 });
    }

    [Fact]
    public async Task Unknown_models_and_bad_batch_sizes_are_usage_errors()
    {
        await CliRun.UsageError("--models: 'resnet99' is not one of resnet18, resnet20", "bench", "--models", "resnet99");
        await CliRun.UsageError("--batches: '0' is not a batch size in 1..64", "bench", "--batches", "0");
        await CliRun.UsageError("'--colour'", "bench", "--colour", "red");
    }
}
