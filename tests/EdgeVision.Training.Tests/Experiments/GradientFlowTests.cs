using EdgeVision.Core.Architecture;
using EdgeVision.Training.Experiments;
using EdgeVision.Training.Model;
using TorchSharp;

namespace EdgeVision.Training.Tests.Experiments;

public sealed class GradientFlowTests
{
    [Theory]
    [InlineData("plain20", 19)]
    [InlineData("resnet20", 19)]   // option A: no projection convs
    [InlineData("resnet20b", 21)]  // two projections
    public void One_finite_positive_norm_per_convolution_in_forward_order_and_no_gradient_left_behind(string arch, int convs)
    {
        torch.random.manual_seed(5);
        using var net = new ResNetNetwork(ResNetZoo.Create(arch, 1, 10));
        var data = TestData.FashionSlice(0, 32);
        var weights = NetworkWeights.Capture(net);

        var norms = GradientFlow.Measure(net, NetworkInput.FashionMnist, data, 32);

        Assert.Equal(convs, norms.Count);
        Assert.Equal("conv1", norms[0].Name);
        Assert.Equal(Enumerable.Range(0, convs), norms.Select(n => n.Order));
        var planOrder = new[] { net.Plan.StemConv.Name }.Concat(net.Plan.Blocks.SelectMany(b =>
            b.Convs.Select(c => c.Name).Concat(b.ProjectionConv is { } p ? [p.Name] : Array.Empty<string>())));
        Assert.Equal(planOrder, norms.Select(n => n.Name));
        Assert.All(norms, n => Assert.True(double.IsFinite(n.Norm) && n.Norm > 0, $"{n.Name}: {n.Norm}"));
        Assert.All(net.parameters(), p => Assert.True(p.grad is null || p.grad.abs().max().item<float>() == 0));
        var after = NetworkWeights.Capture(net);
        Assert.All(weights, w => Assert.Equal(w.Value.Data, after[w.Key].Data));
    }

    [Fact]
    public void The_same_batch_and_weights_give_the_same_norms()
    {
        var data = TestData.FashionSlice(0, 16);
        double[] Run()
        {
            torch.random.manual_seed(9);
            using var net = new ResNetNetwork(ResNetZoo.Create("resnet20", 1, 10));
            return GradientFlow.Measure(net, NetworkInput.FashionMnist, data, 16).Select(n => n.Norm).ToArray();
        }
        Assert.Equal(Run(), Run());
    }
}
