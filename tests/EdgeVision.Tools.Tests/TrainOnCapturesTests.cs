using OpenCvSharp;

namespace EdgeVision.Tools.Tests;

/// <summary>
/// The README's promise: the daemon's capture folder (train/&lt;label&gt;/*.png only) is "ready for
/// <c>edgevision train --data &lt;root&gt;</c>"; and bad <c>--pretrained</c> values are usage errors that say what was wrong.
/// </summary>
public sealed class TrainOnCapturesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ev-captures-" + Guid.NewGuid().ToString("N"));

    public TrainOnCapturesTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Train_on_a_captures_root_without_val_holds_out_a_split_writes_it_and_exports()
    {
        string root = Path.Combine(_dir, "captures");
        foreach (var (label, shade) in new[] { ("cup", 40), ("key", 200) })
        {
            string dir = Path.Combine(root, "train", label);
            Directory.CreateDirectory(dir);
            for (int i = 0; i < 6; i++)
            {
                using var mat = new Mat(20, 24, MatType.CV_8UC3, new Scalar(shade, 255 - shade, (i * 30) % 255));
                Cv2.ImWrite(Path.Combine(dir, $"{label}_{i}.png"), mat);
            }
        }
        File.WriteAllBytes(Path.Combine(root, "train", "cup", "zero.png"), []);
        string run = Path.Combine(_dir, "run");
        var train = await CliRun.Of("train", "--arch", "resnet20", "--data", root, "--imgsz", "16", "--epochs", "1", "--batch", "4", "--threads", "1", "--out", run);

        Assert.Equal(0, train.Code);
        Assert.True(File.Exists(Path.Combine(run, "best.onnx")));
        string[] split = File.ReadAllLines(Path.Combine(run, "split.csv"));
        Assert.Equal(2, split.Count(l => l.StartsWith("val,", StringComparison.Ordinal))); // 20 % of 5 readable cups → 1, of 6 keys → 1
        Assert.DoesNotContain(split, l => l.Contains("zero.png"));
    }

    [Fact]
    public async Task Train_pretrained_on_captures_exports_a_contract_model_recording_backbone_and_frozen_part()
    {
        string root = WritePretrainedCaptures();
        string run = Path.Combine(_dir, "run-pretrained");
        var train = await CliRun.Of(
            "train", "--arch", "resnet18", "--pretrained", "imagenet", "--imgsz", "64", "--data", root, "--epochs", "2", "--batch", "4", "--threads", "1", "--out", run);

        Assert.Equal(0, train.Code);
        Assert.True(File.Exists(Path.Combine(run, "split.csv")));
        var model = EdgeVision.Onnx.OnnxModelFile.Load(Path.Combine(run, "best.onnx"));
        var metadata = EdgeVision.Core.Model.ModelMetadata.FromProperties(model.MetadataProps.ToDictionary(p => p.Key, p => p.Value), "best.onnx");
        Assert.Equal("imagenet-resnet18", metadata.Pretrained);
        Assert.Equal("backbone", metadata.Frozen);
        Assert.Equal(["cup", "key"], metadata.Labels);
        Assert.Equal(64, metadata.InputWidth);
        Assert.Contains("\"frozen\": \"backbone\"", await File.ReadAllTextAsync(Path.Combine(run, "transfer.json")));
    }

    [Fact]
    public async Task Train_pretrained_refuses_a_corrupt_progress_file_by_name_and_a_finished_run_leaves_none()
    {
        string root = WritePretrainedCaptures();
        string run = Path.Combine(_dir, "run-resumable");
        string[] args = ["train", "--arch", "resnet18", "--pretrained", "imagenet", "--imgsz", "32", "--freeze", "layer3", "--data", root,
            "--epochs", "2", "--batch", "4", "--threads", "1", "--out", run];
        string progress = Path.Combine(run, EdgeVision.Tools.Training.TransferRun.ProgressFileName);
        Directory.CreateDirectory(run);
        await File.WriteAllBytesAsync(progress, "EVXFER"u8.ToArray());

        var refused = await CliRun.Of(args);
        Assert.Equal(1, refused.Code);
        Assert.Contains(progress, refused.Error);
        Assert.Contains("truncated or corrupt transfer progress file", refused.Error);

        File.Delete(progress);
        var trained = await CliRun.Of(args);
        Assert.Equal(0, trained.Code);
        Assert.True(File.Exists(Path.Combine(run, "best.onnx")));
        Assert.False(File.Exists(progress), "a finished run deletes its progress, so the same command trains afresh");
    }

    // Two labels of five 40×30 colour frames each, as the daemon's capture panel writes them.
    private string WritePretrainedCaptures()
    {
        string root = Path.Combine(_dir, "captures");
        foreach (var (label, shade) in new[] { ("cup", 40), ("key", 200) })
        {
            string dir = Path.Combine(root, "train", label);
            Directory.CreateDirectory(dir);
            for (int i = 0; i < 5; i++)
            {
                using var mat = new Mat(30, 40, MatType.CV_8UC3, new Scalar(shade, 255 - shade, (i * 50) % 255));
                Cv2.ImWrite(Path.Combine(dir, $"{label}_{i}.png"), mat);
            }
        }
        return root;
    }

    [Theory]
    [InlineData("resnet-imagenet", "expected 'imagenet' or a path to an .onnx file")]
    [InlineData("/nonexistent/backbone.onnx", "not found")]
    public async Task A_bad_pretrained_value_is_a_usage_error_naming_it(string value, string expected)
    {
        string error = await CliRun.UsageError(expected, "train", "--pretrained", value, "--data", _dir, "--out", Path.Combine(_dir, "run"));
        Assert.Contains("--pretrained", error);
    }

    [Fact]
    public async Task A_truncated_pretrained_onnx_file_is_a_clear_error_naming_the_file()
    {
        string path = Path.Combine(_dir, "truncated.onnx");
        await File.WriteAllBytesAsync(path, [0x08, 0x07, 0x12, 0x40, 0x01, 0x02]);
        var run = await CliRun.Of("train", "--pretrained", path, "--data", _dir, "--out", Path.Combine(_dir, "run"));
        Assert.True(run.Code is 1 or 2, $"exit {run.Code}: {run.Error}"); // a usage error or unreadable data, either way named
        Assert.Contains("truncated.onnx", run.Error);
    }
}
