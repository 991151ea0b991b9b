namespace EdgeVision.Tools.Tests;

/// <summary>Bad command lines end with exit 2 and a message naming the option and the bad value, before any work.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("--epochs must be an integer, not 'abc'", "train", "--epochs", "abc", "--out", "x")]
    [InlineData("--epochs must be in 1..10000, not 0", "train", "--epochs", "0", "--out", "x")]
    [InlineData("--lr must be a number, not 'fast'", "train", "--lr", "fast", "--out", "x")]
    [InlineData("--val-split must be in 0..0.9, not 0.95", "train", "--val-split", "0.95", "--out", "x")]
    [InlineData("--erasing must be in 0..1, not 2", "train", "--erasing", "2", "--out", "x")]
    [InlineData("--schedule must be cosine or step, not 'linear'", "train", "--schedule", "linear", "--out", "x")]
    [InlineData("--mean must be comma-separated numbers, not '0.5,x'", "train", "--mean", "0.5,x", "--out", "x")]
    [InlineData("--out is required", "train", "--epochs", "3")]
    [InlineData("--batch must be in 1..", "eval", "--model", "m.onnx", "--batch", "0")]
    [InlineData("--channels must be 1 or 3, not 2", "zoo", "--channels", "2")]
    [InlineData("--resize must be center_crop or stretch, not 'fill'", "export", "--checkpoint", "a.ckpt", "--out", "b.onnx", "--resize", "fill")]
    [InlineData("--method: unknown calibration method 'best'", "quantize", "--model", "m.onnx", "--data", "fashion-mnist", "--method", "best")]
    [InlineData("--fp16 takes no calibration options", "quantize", "--model", "m.onnx", "--fp16", "--method", "minmax")]
    [InlineData("--cells: 'warm:5' is not kind:per-class", "transfer-bench", "--out", "x", "--cells", "head:5,warm:5")]
    public async Task A_bad_value_names_the_option_and_the_value(string expected, params string[] args) =>
        await CliRun.UsageError(expected, args);

    [Theory]
    [InlineData("'--epochz'", "train", "--epochz", "3", "--out", "x")]
    [InlineData("'--colour'", "zoo", "--colour", "red")]
    [InlineData("'--quick'", "winograd", "--quick")]
    public async Task An_unknown_option_is_an_error_naming_it(string expected, params string[] args) =>
        await CliRun.UsageError(expected, args);

    [Theory]
    [InlineData("did you mean --epochs?", "train", "--epochz", "3", "--out", "x")]
    [InlineData("did you mean --calibration-size?", "quantize", "--model", "m.onnx", "--data", "d", "--calibration-sise", "8")]
    public async Task A_misspelt_option_gets_the_nearest_one_suggested(string expected, params string[] args) =>
        await CliRun.UsageError(expected, args);

    [Fact]
    public async Task An_unknown_option_far_from_every_option_gets_no_suggestion() =>
        Assert.DoesNotContain("did you mean", await CliRun.UsageError("'--colour'", "zoo", "--colour", "red"));

    [Theory]
    [InlineData("--freeze needs --pretrained", "train", "--freeze", "layer2", "--out", "x")]
    [InlineData("--schedule does not apply to training with --pretrained", "train", "--pretrained", "imagenet", "--schedule", "step", "--out", "x")]
    [InlineData("--epochs does not apply with --resume", "train", "--resume", "runs/x/last.ckpt", "--epochs", "5")]
    [InlineData("--imgsz must be in 32..1024 with --pretrained, not 16", "train", "--pretrained", "imagenet", "--imgsz", "16", "--out", "x")]
    public async Task Train_refuses_options_its_kind_of_run_does_not_use(string expected, params string[] args) =>
        await CliRun.UsageError(expected, args);
}
