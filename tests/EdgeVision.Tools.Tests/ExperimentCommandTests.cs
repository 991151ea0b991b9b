using EdgeVision.Training.Experiments;
using OpenCvSharp;

namespace EdgeVision.Tools.Tests;

/// <summary>The three experiments end to end on a tiny image folder: each writes its table and plot, and the degradation run resumes.</summary>
public sealed class ExperimentCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ev-experiment-" + Guid.NewGuid().ToString("N"));

    public ExperimentCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Dataset()
    {
        string root = Path.Combine(_dir, "data");
        foreach (string split in new[] { "train", "val" })
        {
            foreach (var (label, shade) in new[] { ("dark", 30), ("light", 220) })
            {
                string dir = Path.Combine(root, split, label);
                Directory.CreateDirectory(dir);
                for (int i = 0; i < 8; i++)
                {
                    using var mat = new Mat(64, 64, MatType.CV_8UC3, new Scalar(shade, shade, (i * 37) % 255));
                    Cv2.ImWrite(Path.Combine(dir, $"{i}.png"), mat);
                }
            }
        }
        return root;
    }

    private static async Task<int> Run(params string[] args) => (await CliRun.Of(["experiment", .. args])).Code;

    [Fact]
    public async Task Degradation_writes_table_and_plot_and_a_second_call_reads_the_finished_runs_back()
    {
        string data = Dataset(), outDir = Path.Combine(_dir, "deg");
        string[] args = ["degradation", "--archs", "plain20,resnet20", "--epochs", "2", "--batch", "8", "--threads", "1", "--data", data, "--out", outDir];

        Assert.Equal(0, await Run(args));
        string table = await File.ReadAllTextAsync(Path.Combine(outDir, "degradation.md"));
        Assert.Contains("| plain20 |", table);
        Assert.Contains("| resnet20 |", table);
        Assert.Contains("| 2 |", table); // the per-epoch table reached epoch 2
        Assert.True(new FileInfo(Path.Combine(outDir, "degradation.png")).Length > 10_000);
        var checkpoint = Path.Combine(outDir, "resnet20", "last.ckpt");
        var written = File.GetLastWriteTimeUtc(checkpoint);

        Assert.Equal(0, await Run(args));
        Assert.Equal(written, File.GetLastWriteTimeUtc(checkpoint)); // read back, not retrained
    }

    [Fact]
    public async Task Degradation_refuses_a_run_directory_trained_with_another_recipe()
    {
        string data = Dataset(), outDir = Path.Combine(_dir, "deg");
        Assert.Equal(0, await Run("degradation", "--archs", "resnet20", "--epochs", "1", "--batch", "8", "--threads", "1", "--data", data, "--out", outDir));
        var run = await CliRun.Of("experiment", "degradation", "--archs", "resnet20", "--epochs", "1", "--batch", "8", "--lr", "0.05", "--threads", "1", "--data", data, "--out", outDir);
        Assert.Equal(1, run.Code);
        Assert.Contains(Path.Combine(outDir, "resnet20"), run.Error);
        Assert.Contains("learning-rate 0.1 there, 0.05 here", run.Error);
    }

    [Fact]
    public async Task Lesion_and_gradients_write_tables_and_plots_for_a_residual_net_and_its_plain_twin()
    {
        string data = Dataset(), runs = Path.Combine(_dir, "deg");
        Assert.Equal(0, await Run("degradation", "--archs", "plain20,resnet20", "--epochs", "1", "--batch", "8", "--threads", "1", "--data", data, "--out", runs));

        string lesion = Path.Combine(_dir, "lesion");
        Assert.Equal(0, await Run("lesion", "--models", $"{runs}/resnet20/last.ckpt,{runs}/plain20/last.ckpt", "--data", data, "--threads", "1", "--out", lesion));
        string table = await File.ReadAllTextAsync(Path.Combine(lesion, "lesion.md"));
        Assert.Contains("| 3 layer2.0 ↓ |", table);
        Assert.Contains("cannot be removed", table); // plain20's downsampling blocks
        Assert.Equal(1 + 9, table.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| block", StringComparison.Ordinal)));
        Assert.True(new FileInfo(Path.Combine(lesion, "lesion.png")).Length > 10_000);

        string gradients = Path.Combine(_dir, "gradients");
        Assert.Equal(0, await Run("gradients", "--archs", "plain20,resnet20", "--epochs", "2", "--batch", "8", "--subset", "0", "--probe", "8", "--threads", "1", "--data", data, "--out", gradients));
        string g = await File.ReadAllTextAsync(Path.Combine(gradients, "gradients.md"));
        Assert.Contains("| plain20 | 19 |", g);
        Assert.Contains("| resnet20 | 19 |", g);
        Assert.True(new FileInfo(Path.Combine(gradients, "gradients.png")).Length > 10_000);
    }

    [Fact]
    public void Lesion_tables_of_different_depths_are_kept_apart_so_each_row_names_its_own_block()
    {
        LesionResult Net(string arch, int blocks, int perStage) => new(arch, 0.9, Enumerable.Range(0, blocks)
            .Select(i => new LesionRow(i, $"layer{i / perStage + 1}.{i % perStage}", i > 0 && i % perStage == 0, 0.5)).ToList());
        string md = EdgeVision.Tools.Experiments.LesionExperiment.Markdown([Net("resnet56", 27, 9), Net("resnet20", 9, 3)], 100, "cmd");

        Assert.Equal(2, md.Split('\n').Count(l => l.StartsWith("| block |", StringComparison.Ordinal)));
        Assert.Contains("| 3 layer2.0 ↓ | 50.00 % |", md);  // resnet20's fourth block
        Assert.Contains("| 3 layer1.3 | 50.00 % |", md);    // resnet56's fourth block
    }

    [Theory]
    [InlineData(new[] { "lesion", "--models", "model.pth", "--out", "x" }, "neither a checkpoint (.ckpt) nor an exported model (.onnx)")]
    [InlineData(new[] { "lesion", "--models", "missing.onnx", "--out", "x" }, "'missing.onnx' does not exist")]
    [InlineData(new[] { "degradation", "--archs", "resnet7", "--out", "x" }, "--archs")]
    [InlineData(new[] { "nonsense", "--out", "x" }, "Unrecognized command or argument 'nonsense'")]
    [InlineData(new[] { "--out", "x" }, "Required command was not provided")]
    public async Task Bad_arguments_are_usage_errors_that_name_what_was_wrong(string[] args, string expected) =>
        await CliRun.UsageError(expected, ["experiment", .. args]);
}
