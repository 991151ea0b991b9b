using OpenCvSharp;

namespace EdgeVision.Tools.Tests;

/// <summary><c>edgevision teach</c> end to end on a small generated ImageFolder, and its refusals.</summary>
public sealed class TeachCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ev-teach-cli-" + Guid.NewGuid().ToString("N"));

    public TeachCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Label folders directly under the root (no train/), as a user's own ImageFolder may be.</summary>
    private string Dataset(int perLabel, params (string Label, Scalar Colour)[] labels)
    {
        string root = Path.Combine(_dir, "data");
        foreach (var (label, colour) in labels)
        {
            Directory.CreateDirectory(Path.Combine(root, label));
            for (int i = 0; i < perLabel; i++)
            {
                using var image = new Mat(96, 128, MatType.CV_8UC3, colour);
                Cv2.Circle(image, new Point(20 + 9 * i, 48), 12, new Scalar(255 - colour.Val0, 255 - colour.Val1, 255 - colour.Val2), -1);
                Cv2.ImWrite(Path.Combine(root, label, $"{i}.png"), image);
            }
        }
        return root;
    }

    [Fact]
    public async Task Teach_writes_a_contract_model_for_the_chosen_labels()
    {
        string data = Dataset(6, ("red", new Scalar(20, 20, 220)), ("blue", new Scalar(220, 40, 20)), ("green", new Scalar(30, 200, 30)));
        string output = Path.Combine(_dir, "taught.onnx");
        var run = await CliRun.Of("teach", "--data", data, "--labels", "red,blue", "--out", output, "--providers", "CPU", "--cache", Path.Combine(_dir, "cache"));
        Assert.Equal(0, run.Code);
        using var classifier = EdgeVision.Inference.Classifier.Load(output, new EdgeVision.Inference.InferenceOptions { Providers = ["CPU"], MaxBatch = 1 });
        Assert.Equal(["red", "blue"], classifier.Labels);
        Assert.Equal(10, classifier.Metadata.TaughtFrom);
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_what_is_wrong_and_nothing_is_written()
    {
        string output = Path.Combine(_dir, "m.onnx");
        Assert.Equal(1, (await CliRun.Of("teach", "--data", Path.Combine(_dir, "nowhere"), "--out", output)).Code);
        string data = Dataset(3, ("red", new Scalar(20, 20, 220)), ("blue", new Scalar(220, 40, 20)));
        Assert.Equal(1, (await CliRun.Of("teach", "--data", data, "--out", output)).Code);
        Assert.False(File.Exists(output));
        await CliRun.UsageError("--out must name an .onnx file, not 'm.txt'", "teach", "--data", data, "--out", "m.txt");
        await CliRun.UsageError("Vulkan", "teach", "--data", data, "--out", output, "--providers", "Vulkan");
    }
}
