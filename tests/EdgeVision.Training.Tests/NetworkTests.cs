using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Tests;

public class NetworkTests
{
    [Fact]
    public void Stochastic_depth_drops_branches_in_training_and_is_the_identity_in_evaluation()
    {
        var spec = ResNetZoo.Create("resnet8", 1, 10);
        using var plain = new ResNetNetwork(spec);
        using var dropping = new ResNetNetwork(spec, new NetworkOptions { FinalSurvivalProbability = 0.5 });
        NetworkWeights.Restore(dropping, NetworkWeights.Capture(plain));
        using var x = torch.randn(4, 1, 16, 16);

        plain.eval();
        dropping.eval();
        using (torch.no_grad())
        {
            using var a = plain.forward(x);
            using var b = dropping.forward(x);
            Assert.True(a.allclose(b), "evaluation must ignore stochastic depth");
        }
        dropping.train();
        torch.random.manual_seed(1);
        using var t1 = dropping.forward(x);
        torch.random.manual_seed(2);
        using var t2 = dropping.forward(x);
        Assert.False(t1.allclose(t2), "different seeds should drop different branches");
        Assert.Equal([0.5 + 0.5 * 2 / 3, 0.5 + 0.5 / 3, 0.5], dropping.Blocks.Select(b => b.SurvivalProbability), (p, q) => Math.Abs(p - q) < 1e-12);
    }

    [Fact]
    public void Zero_init_residual_makes_every_residual_block_start_as_its_shortcut()
    {
        using var network = new ResNetNetwork(ResNetZoo.Create("resnet20", 1, 10), new NetworkOptions { ZeroInitResidual = true });
        foreach (var block in network.Blocks) Assert.Equal(0f, block.LastBranchNorm.weight!.abs().max().item<float>());
        using var plain = new ResNetNetwork(ResNetZoo.Create("resnet20", 1, 10));
        Assert.True(plain.Blocks[0].LastBranchNorm.weight!.min().item<float>() > 0);
    }

    [Fact]
    public void Convolutions_get_He_initialization()
    {
        using var network = new ResNetNetwork(ResNetZoo.Create("resnet20", 1, 10));
        var weight = network.state_dict()["layer3.2.conv2.weight"];
        double expectedStd = Math.Sqrt(2.0 / (64 * 3 * 3)); // fan_out = out channels × kernel area
        Assert.InRange(weight.std().item<float>(), expectedStd * 0.9, expectedStd * 1.1);
    }

    [Fact]
    public void Network_input_normalizes_grey_pixels_like_the_contract_graph()
    {
        using var pixels = torch.tensor(new byte[] { 0, 255, 73, 128 }, [1, 2, 2, 1], dtype: ScalarType.Byte);
        using var x = NetworkInput.FashionMnist.ToNetwork(pixels);
        Assert.Equal([1L, 1, 2, 2], x.shape);
        float[] values = x.data<float>().ToArray();
        Assert.Equal((73 / 255f - 0.2860f) / 0.3530f, values[2], 5);
        Assert.Equal((0 - 0.2860f) / 0.3530f, values[0], 5);
    }

    [Fact]
    public void Network_input_turns_BGR_into_RGB_for_colour_networks()
    {
        using var pixels = torch.tensor(new byte[] { 10, 20, 30 }, [1, 1, 1, 3], dtype: ScalarType.Byte);
        var input = new NetworkInput(ColorMode.Rgb, [0f, 0f, 0f], [1f, 1f, 1f]);
        using var x = input.ToNetwork(pixels);
        Assert.Equal([30 / 255f, 20 / 255f, 10 / 255f], x.data<float>().ToArray(), (p, q) => Math.Abs(p - q) < 1e-6);
    }
}
