using EdgeVision.Core.Architecture;

namespace EdgeVision.Onnx.Tests;

public sealed class RandomWeightsTests
{
    private static readonly ResNetPlan Plan = ResNetPlan.Build(ResNetZoo.Create("se_resnet20", 3, 10));

    [Fact]
    public void Same_seed_gives_identical_weights_and_another_seed_different_ones()
    {
        var a = RandomWeights.Create(Plan, 5);
        var b = RandomWeights.Create(Plan, 5);
        var c = RandomWeights.Create(Plan, 6);
        foreach (var (name, _) in Plan.Parameters())
            Assert.Equal(a.Get(name).Data, b.Get(name).Data);
        Assert.NotEqual(a.Get("layer1.0.conv1.weight").Data, c.Get("layer1.0.conv1.weight").Data);
    }

    [Fact]
    public void Every_parameter_and_running_statistic_of_the_plan_exists_with_its_shape()
    {
        var w = RandomWeights.Create(Plan, 1);
        foreach (var (name, shape) in Plan.Parameters()) Assert.Equal(shape, w.Get(name).Shape);
        foreach (var bn in Plan.Norms())
        {
            Assert.Equal([bn.Channels], w.Get(bn.RunningMean).Shape);
            Assert.Equal([bn.Channels], w.Get(bn.RunningVar).Shape);
        }
    }

    [Fact]
    public void BatchNorm_statistics_are_far_from_identity_within_their_ranges()
    {
        var w = RandomWeights.Create(Plan, 1);
        var gammas = Plan.Norms().SelectMany(n => w.Get(n.Weight).Data).ToArray();
        var vars = Plan.Norms().SelectMany(n => w.Get(n.RunningVar).Data).ToArray();
        var means = Plan.Norms().SelectMany(n => w.Get(n.RunningMean).Data).ToArray();
        Assert.All(gammas, g => Assert.InRange(g, 0.5f, 1.5f));
        Assert.All(vars, v => Assert.InRange(v, 0.5f, 2f));
        Assert.True(gammas.Max() - gammas.Min() > 0.5f);
        Assert.True(means.Count(m => m != 0f) == means.Length);
    }

    [Fact]
    public void Convolutions_are_he_normal()
    {
        var w = RandomWeights.Create(Plan, 1).Get("layer3.1.conv2.weight").Data; // 64·64·3·3 values, fan-in 576
        double mean = w.Average(v => (double)v);
        double std = Math.Sqrt(w.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(std, 0.97 * Math.Sqrt(2.0 / 576), 1.03 * Math.Sqrt(2.0 / 576));
    }
}
