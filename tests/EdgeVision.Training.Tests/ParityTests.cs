using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Training.Model;
using EdgeVision.Training.Optimization;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Tests;

/// <summary>
/// The exported contract model must compute what the TorchSharp network computes: same uint8 images,
/// TorchSharp eval mode (preprocessing in C#) against ONNX Runtime (preprocessing fused in the graph,
/// BN folded), for every family of the zoo.
/// </summary>
public class ParityTests
{
    public static TheoryData<string> Families() =>
    [
        "resnet20", "resnet20b", "plain20", "preact_resnet20", "preact_bottleneck", "resnext_small", "wrn_10_2", "se_resnet20", "resnet18",
        "densenet_bc_40_12", "densenet_bc_100_12", "regnet_x_cifar", "regnet_y_cifar", "regnet_point",
    ];

    private static (INetworkPlan Plan, ColorMode Color, int Size) Case(string family) => family switch
    {
        "resnet20" => (ResNet(ResNetZoo.Create("resnet20", 1, 10)), ColorMode.Grey, 28),
        "resnet20b" => (ResNet(ResNetZoo.Create("resnet20b", 3, 10)), ColorMode.Rgb, 24),
        "plain20" => (ResNet(ResNetZoo.Create("plain20", 1, 10)), ColorMode.Grey, 28),
        "preact_resnet20" => (ResNet(ResNetZoo.Create("preact_resnet20", 3, 10)), ColorMode.Rgb, 20),
        "preact_bottleneck" => (ResNet(ResNetZoo.Create("preact_resnet164", 3, 10) with { Name = "preact_bottleneck_11", BlocksPerStage = [1, 1, 1] }), ColorMode.Rgb, 16),
        "resnext_small" => (ResNet(ResNetZoo.Create("resnext29_4x16d", 3, 10) with { Name = "resnext11_4x16d", BlocksPerStage = [1, 1, 1], StagePlanes = [16, 32, 64], StemChannels = 16 }), ColorMode.Bgr, 16),
        "wrn_10_2" => (ResNet(ResNetZoo.Create("wrn_10_2", 1, 10)), ColorMode.Grey, 20),
        "se_resnet20" => (ResNet(ResNetZoo.Create("se_resnet20", 3, 10)), ColorMode.Rgb, 20),
        "resnet18" => (ResNet(ResNetZoo.Create("resnet18", 3, 10)), ColorMode.Rgb, 40),
        // 28 px: the transitions pool 28 → 14 → 7; 15 px: odd sizes, where the pool drops the last row and column.
        "densenet_bc_40_12" => (NetworkZoo.Create("densenet_bc_40_12", 1, 10), ColorMode.Grey, 28),
        "densenet_bc_100_12" => (NetworkZoo.Create("densenet_bc_100_12", 3, 10), ColorMode.Rgb, 15),
        "regnet_x_cifar" => (NetworkZoo.Create("regnet_x_cifar", 3, 10), ColorMode.Rgb, 20),
        "regnet_y_cifar" => (NetworkZoo.Create("regnet_y_cifar", 1, 10), ColorMode.Grey, 28),
        "regnet_point" => (NetworkZoo.Create("regnet_y_cifar:16,12,2,5,8", 3, 10), ColorMode.Bgr, 16),
        _ => throw new ArgumentException(family),
    };

    private static INetworkPlan ResNet(ResNetSpec spec) => ResNetPlan.Build(spec);

    [Theory]
    [MemberData(nameof(Families))]
    public void Exported_contract_model_matches_TorchSharp_in_evaluation(string family)
    {
        var (plan, color, size) = Case(family);
        int channels = color == ColorMode.Grey ? 1 : 3;
        var input = new NetworkInput(color, Enumerable.Repeat(0.45f, channels).ToArray(), Enumerable.Range(0, channels).Select(i => 0.22f + 0.03f * i).ToArray());
        const int n = 6;
        var random = new Random(family.Length * 31 + 7);
        byte[] pixels = new byte[n * size * size * 3];
        random.NextBytes(pixels);
        if (color == ColorMode.Grey)
        {
            // A grey frame reaches the daemon as BGR with B = G = R.
            for (int p = 0; p < pixels.Length; p += 3) pixels[p + 1] = pixels[p + 2] = pixels[p];
        }

        torch.random.manual_seed(5);
        using var network = ZooNetworks.Create(plan);
        TrainTwoSteps(network, input, pixels, n, size);

        network.eval();
        float[] expected;
        using (torch.no_grad())
        using (var scope = NewDisposeScope())
        {
            var batch = torch.tensor(pixels, [n, size, size, 3], dtype: ScalarType.Byte);
            expected = nn.functional.softmax(network.forward(input.ToNetwork(batch)), 1).data<float>().ToArray();
        }

        var state = new EdgeVision.Training.Checkpoints.CheckpointState
        {
            Options = new(), Architecture = plan.Name, InputChannels = channels, Labels = Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray(),
            Color = color, Mean = input.Mean, Std = input.Std, InputHeight = size, InputWidth = size, Dataset = "synthetic",
        };
        var model = ContractModelFactory.Create(plan, NetworkWeights.ToWeightSource(network), CheckpointMetadata.Create(state, null, null, DateTimeOffset.UnixEpoch));
        using var session = new InferenceSession(OnnxModelFile.ToBytes(model));
        using var ortInput = OrtValue.CreateTensorValueFromMemory(pixels, [n, size, size, 3]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [ModelContract.InputName], [ortInput], [ModelContract.ProbabilitiesName]);
        float[] actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        float maxDiff = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff <= 1e-4f, $"{family}: max |ΔP| = {maxDiff:E2}");
        for (int i = 0; i < n; i++)
            Assert.Equal(ArgMax(expected.AsSpan(i * 10, 10)), ArgMax(actual.AsSpan(i * 10, 10)));
    }

    // Two SGD steps on the test images move BN statistics and weights away from their initial values.
    internal static void TrainTwoSteps(ZooNetwork network, NetworkInput input, byte[] pixels, int n, int size)
    {
        using var optimizer = new SgdOptimizer(network, 0.9, nesterov: false, weightDecay: 0);
        network.train();
        for (int step = 0; step < 2; step++)
        {
            using var scope = NewDisposeScope();
            var batch = torch.tensor(pixels, [n, size, size, 3], dtype: ScalarType.Byte);
            var logits = network.forward(input.ToNetwork(batch));
            var loss = nn.functional.cross_entropy(logits, torch.arange(n, dtype: ScalarType.Int64).remainder(10));
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Step(0.02);
        }
    }

    private static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
