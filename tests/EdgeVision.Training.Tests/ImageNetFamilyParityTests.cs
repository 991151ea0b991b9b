using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Training.Model;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Tests;

/// <summary>
/// The torchvision-sized DenseNet and RegNets at 224 px: the TorchSharp module takes the plan's random weights by
/// name (so the plan, the module and RandomWeights agree on every tensor), and one image through ONNX Runtime
/// matches it. One forward pass at batch 1; the CIFAR members are trained two steps in <see cref="ParityTests"/>.
/// </summary>
public class ImageNetFamilyParityTests
{
    [Theory]
    [InlineData("densenet121")]
    [InlineData("regnet_x_400mf")]
    [InlineData("regnet_y_400mf")]
    public void Contract_model_matches_TorchSharp_at_224(string name)
    {
        const int size = 224, classes = 1000;
        var plan = NetworkZoo.Create(name, 3, classes);
        var weights = RandomWeights.Create(plan, seed: 11);
        using var network = ZooNetworks.Create(plan);
        NetworkWeights.Restore(network, plan.Parameters().Select(p => p.Name)
            .Concat(plan.Norms().SelectMany(n => new[] { n.RunningMean, n.RunningVar }))
            .ToDictionary(n => n, weights.Get, StringComparer.Ordinal));
        network.eval();

        var input = NetworkInput.ImageNet;
        byte[] pixels = new byte[size * size * 3];
        new Random(3).NextBytes(pixels);
        float[] expected;
        using (torch.no_grad())
        using (var scope = NewDisposeScope())
        {
            var batch = torch.tensor(pixels, [1, size, size, 3], dtype: ScalarType.Byte);
            expected = nn.functional.softmax(network.forward(input.ToNetwork(batch)), 1).data<float>().ToArray();
        }

        var state = new EdgeVision.Training.Checkpoints.CheckpointState
        {
            Options = new(), Architecture = plan.Name, InputChannels = 3, Labels = Enumerable.Range(0, classes).Select(i => $"c{i}").ToArray(),
            Color = input.Color, Mean = input.Mean, Std = input.Std, InputHeight = size, InputWidth = size, Dataset = "synthetic",
        };
        var model = ContractModelFactory.Create(plan, NetworkWeights.ToWeightSource(network), CheckpointMetadata.Create(state, null, null, DateTimeOffset.UnixEpoch));
        using var session = new InferenceSession(OnnxModelFile.ToBytes(model));
        using var ortInput = OrtValue.CreateTensorValueFromMemory(pixels, [1, size, size, 3]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [ModelContract.InputName], [ortInput], [ModelContract.ProbabilitiesName]);
        float[] actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        float maxDiff = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff <= 1e-4f, $"{name}: max |ΔP| = {maxDiff:E2}");
        Assert.Equal(Array.IndexOf(expected, expected.Max()), Array.IndexOf(actual, actual.Max()));
    }
}
