using EdgeVision.Daemon.Diagnostics;

namespace EdgeVision.Daemon.Tests.Host;

public sealed class DaemonBenchmarkSmokeTests
{
    [Fact]
    public async Task A_short_bench_appends_a_table_with_both_view_settings_and_every_source_count()
    {
        using var scratch = new Scratch();
        string model = TestModels.Tiny(scratch.Path);
        string output = scratch.File("BENCHMARKS.md");
        File.WriteAllText(output, "# Benchmarks\n\n## Other\n\nkept\n");

        int code = await DaemonBenchCommand.RunAsync(
            ["--bench", "--bench-seconds", "0.4", "--bench-rounds", "1", "--bench-skip-resnet18", "--bench-model", model, "--bench-out", output]);

        Assert.Equal(0, code);
        string text = File.ReadAllText(output);
        Assert.Contains("## Other\n\nkept", text);
        var rows = text.Split('\n').Where(l => l.StartsWith("| shipped tiny.onnx |", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 + 3, rows.Count); // view cap 60 and none, then 1, 2 and 4 sources
        var capped = rows[0].Split('|', StringSplitOptions.TrimEntries);
        Assert.Equal("60", capped[2]);
        double daemonFps = double.Parse(capped[5], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(daemonFps > 0, $"the daemon inferred no frames: {rows[0]}");
        Assert.Equal("none", rows[1].Split('|', StringSplitOptions.TrimEntries)[2]);
    }

    [Theory]
    [InlineData("--bench-rounds", "0")]
    [InlineData("--bench-rounds", "three")]
    [InlineData("--bench-seconds", "-1")]
    [InlineData("--bench-provider", "OpenVINO")]
    public async Task Bad_bench_settings_stop_before_measuring(string option, string value)
    {
        using var scratch = new Scratch();
        string output = scratch.File("BENCHMARKS.md");

        int code = await DaemonBenchCommand.RunAsync(["--bench", option, value, "--bench-out", output]);

        Assert.Equal(2, code);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task A_GPU_provider_this_build_lacks_stops_the_bench_naming_it_instead_of_timing_CPU_under_its_name()
    {
        using var scratch = new Scratch();
        string output = scratch.File("BENCHMARKS.md");
        var error = new StringWriter();
        var console = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = await DaemonBenchCommand.RunAsync(["--bench", "--bench-seconds", "0.2", "--bench-rounds", "1", "--bench-skip-resnet18",
                "--bench-model", TestModels.Tiny(scratch.Path), "--bench-provider", "cuda", "--bench-out", output]);
        }
        finally
        {
            Console.SetError(console);
        }

        Assert.Equal(3, code);
        Assert.Contains("bench: --bench-provider CUDA is unavailable: ", error.ToString());
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("--bench-seconds", "0")]
    [InlineData("--bench-rounds", "many")]
    [InlineData("--bench-source-fps", "0")]
    public async Task Bad_viewer_bench_settings_stop_before_starting_a_daemon(string option, string value)
    {
        using var scratch = new Scratch();
        string output = scratch.File("BENCHMARKS.md");
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = await ViewerBenchCommand.RunAsync(["--bench-viewer", option, value, "--bench-out", output]);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Equal(2, code);
        Assert.Contains(option, error.ToString());
        Assert.False(File.Exists(output));
    }
}
