using EdgeVision.Inference;

namespace EdgeVision.Tools.Tests;

/// <summary>
/// What scripts/gpu-check.sh runs through the CLI: a random-weight ResNet-18@224 from <c>zoo --export</c>, and
/// <c>precision --provider</c>, which on a build or machine without that provider fails at once with the reason
/// instead of calibrating for minutes and then timing CPU under a GPU's name.
/// </summary>
public sealed class GpuProviderCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ev-gpu-cli-" + Guid.NewGuid().ToString("N"));

    public GpuProviderCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Zoo_export_writes_a_contract_model_the_engine_loads()
    {
        string path = Path.Combine(_dir, "resnet18.onnx");
        Assert.Equal(0, (await CliRun.Of("zoo", "--arch", "resnet18", "--input", "224", "--classes", "1000", "--export", path)).Code);
        using var classifier = Classifier.Load(path, new InferenceOptions { Providers = ["CPU"], MaxBatch = 1 });
        Assert.Equal((224, 224, 1000), (classifier.InputWidth, classifier.InputHeight, classifier.ClassCount));
        Assert.Equal("resnet18", classifier.Metadata.Architecture);
    }

    [Fact]
    public async Task Zoo_export_without_an_architecture_is_a_usage_error() =>
        await CliRun.UsageError("--export needs --arch", "zoo", "--export", Path.Combine(_dir, "x.onnx"));

    [Fact]
    public async Task Precision_on_an_unknown_provider_is_a_usage_error_naming_the_known_ones() =>
        await CliRun.UsageError("--provider must be one of TensorRT, CUDA, CPU, not 'OpenVINO'",
            "precision", "--model", ShippedModel, "--data", "fashion-mnist", "--provider", "OpenVINO");

    [Theory]
    [InlineData("CUDA")]
    [InlineData("TensorRT")]
    public async Task Precision_on_a_GPU_provider_this_build_lacks_fails_before_calibrating_with_the_reason(string provider)
    {
        // The CPU build (this test project's) has no GPU providers; the data set is never touched.
        string prefix = $"edgevision precision: execution provider {provider} is unavailable for fp32: ";
        string error = await CliRun.UsageError(prefix,
            "precision", "--model", ShippedModel, "--data", Path.Combine(_dir, "no-such-data"), "--provider", provider.ToLowerInvariant());
        Assert.StartsWith(prefix, error);
        Assert.True(error.Split('\n')[0].Length > prefix.Length + 10, error);
    }

    private static string ShippedModel
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "models", "default.onnx");
                if (File.Exists(Path.Combine(dir.FullName, "EdgeVision.sln"))) return candidate;
            }
            throw new InvalidOperationException("EdgeVision.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
