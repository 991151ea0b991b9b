using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx.Tests.Support;

namespace EdgeVision.Onnx.Tests;

/// <summary>
/// The DenseNet and RegNet contract graphs (preprocessing fused, what can fold folded, the rest Mul+Add, DenseNet
/// transitions pooled before their 1×1 convolution) against their unfused references, and their structure.
/// </summary>
public sealed class FamilyGraphEquivalenceTests
{
    public static TheoryData<string, ColorMode> Families() => new()
    {
        { "densenet_bc_40_12", ColorMode.Grey },
        { "densenet_bc_40_12", ColorMode.Rgb },
        { "densenet_imagenet_small", ColorMode.Rgb },
        { "regnet_x:16,8,2,4,8", ColorMode.Rgb },
        { "regnet_y_cifar:16,12,2,5,8", ColorMode.Grey },
        { "regnet_y_cifar:16,12,2,5,8", ColorMode.Bgr },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void Fused_model_matches_the_unfused_reference(string family, ColorMode color)
    {
        var plan = Plan(family, color == ColorMode.Grey ? 1 : 3);
        const int size = 30; // not a power of two: the transitions' pools and strided convolutions meet odd sizes
        var metadata = Metadata(plan, color, size);
        var weights = RandomWeights.Create(plan, seed: 7);
        using var fused = new OrtRunner(ContractModelFactory.Create(plan, weights, metadata));
        using var reference = new OrtRunner(ContractModelFactory.CreateReference(plan, weights, size, size));
        const int batch = 3;
        byte[] images = TestImages.Batch(batch, size, size, seed: 4);
        float[] normalized = TestImages.Normalize(images, batch, size, size, color, metadata.Mean, metadata.Std);
        float[] expected = reference.Run("input", normalized, [batch, plan.InputChannels, size, size], ModelContract.LogitsName);
        float[] actual = fused.Run(ModelContract.InputName, images, [batch, size, size, 3], ModelContract.LogitsName);
        float scale = Math.Max(1f, expected.Max(Math.Abs));
        Assert.True(TestImages.MaxAbsDiff(expected, actual) <= 1e-5f * scale,
            $"{family}/{color}: logits differ by {TestImages.MaxAbsDiff(expected, actual):E2} (scale {scale})");
    }

    [Fact]
    public void DenseNet_concatenates_and_keeps_only_the_unfoldable_norms_as_Mul_Add()
    {
        var plan = (DenseNetPlan)Plan("densenet_bc_40_12", 3);
        var graph = ContractModelFactory.Create(plan, RandomWeights.Create(plan, 1), Metadata(plan, ColorMode.Rgb, 32)).Graph;
        var ops = graph.Node.Select(n => n.OpType).ToList();
        int layers = plan.Blocks.Sum(b => b.Layers.Count);
        Assert.DoesNotContain("BatchNormalization", ops);
        Assert.Equal(layers, ops.Count(o => o == "Concat"));
        // norm1 of every layer, each transition's norm and norm5 read a concatenation; norm2 folded into conv1.
        Assert.Equal(layers + plan.Blocks.Count(b => b.Transition is not null) + 1, ops.Count(o => o == "Mul"));
        var pool = graph.Node.First(n => n.OpType == "AveragePool");
        Assert.Contains(graph.Node, n => n.OpType == "Conv" && n.Input[0] == pool.Output[0]);
    }

    private static INetworkPlan Plan(string family, int channels) => family == "densenet_imagenet_small"
        ? DenseNetPlan.Build(new DenseNetSpec
        {
            Name = family, Stem = StemKind.ImageNet, LayersPerBlock = [2, 3], GrowthRate = 8, StemChannels = 16, Compression = 0.6,
            InputChannels = channels, NumClasses = TestModels.Classes,
        })
        : NetworkZoo.Create(family, channels, TestModels.Classes);

    private static ModelMetadata Metadata(INetworkPlan plan, ColorMode color, int size) => new()
    {
        Labels = Enumerable.Range(0, plan.NumClasses).Select(i => $"class {i}").ToArray(),
        Architecture = plan.Name,
        InputWidth = size,
        InputHeight = size,
        Color = color,
        Mean = color == ColorMode.Grey ? [0.45f] : TestModels.ImageNetMean,
        Std = color == ColorMode.Grey ? [0.26f] : TestModels.ImageNetStd,
        Dataset = "synthetic",
    };
}
