using EdgeVision.Core.Architecture;
using EdgeVision.Training.Model;

namespace EdgeVision.Training.Tests;

public class ParameterCountTests
{
    public static TheoryData<string, int> ZooAtBothChannelCounts()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in ResNetZoo.Names)
        {
            data.Add(name, 1);
            data.Add(name, 3);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ZooAtBothChannelCounts))]
    public void TorchSharp_network_has_the_plans_parameters_under_the_plans_names(string name, int channels)
    {
        var spec = ResNetZoo.Create(name, channels, 10);
        var plan = ResNetPlan.Build(spec);
        using var network = new ResNetNetwork(spec);

        var actual = network.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        var expected = plan.Parameters().ToDictionary(p => p.Name, p => p.Shape.Select(d => (long)d).ToArray());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, shape) in expected) Assert.Equal(shape, actual[key]);
        Assert.Equal(plan.ParameterCount, actual.Values.Sum(s => s.Aggregate(1L, (a, d) => a * d)));

        var buffers = network.named_buffers().Select(b => b.name).Where(n => !n.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).Order().ToArray();
        var norms = plan.Norms().SelectMany(n => new[] { n.RunningMean, n.RunningVar }).Order().ToArray();
        Assert.Equal(norms, buffers);
    }

    [Theory]
    [InlineData("resnet20", 269_722)]
    [InlineData("resnet56", 853_018)]
    // The counts of the widely used reference implementation (akamaster/pytorch_resnet_cifar10), option A, 10 classes.
    public void Cifar_ResNets_match_the_paper_counts(string name, long expected)
    {
        using var network = new ResNetNetwork(ResNetZoo.Create(name, 3, 10));
        Assert.Equal(expected, network.parameters().Sum(p => p.numel()));
    }
}
