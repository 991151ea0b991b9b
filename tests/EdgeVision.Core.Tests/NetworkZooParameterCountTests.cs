using EdgeVision.Core.Architecture;

namespace EdgeVision.Core.Tests;

public class NetworkZooParameterCountTests
{
    // torchvision 0.14 (Debian python3-torchvision): sum(p.numel() for p in models.<name>(weights=None).parameters()).
    [Theory]
    [InlineData("densenet121", 7_978_856)]
    [InlineData("densenet169", 14_149_480)]
    [InlineData("regnet_x_400mf", 5_495_976)]
    [InlineData("regnet_y_400mf", 4_344_144)]
    public void New_families_match_torchvision_exactly(string name, long expected)
    {
        Assert.Equal(expected, NetworkZoo.Create(name, 3, 1000).ParameterCount);
    }

    [Theory]
    [InlineData("regnet_x_400mf", new[] { 32, 64, 160, 400 }, new[] { 1, 2, 7, 12 }, 16)]
    [InlineData("regnet_y_400mf", new[] { 48, 104, 208, 440 }, new[] { 1, 3, 6, 6 }, 8)]
    [InlineData("regnet_x_cifar", new[] { 24, 56, 152, 368 }, new[] { 1, 1, 4, 7 }, 8)]
    public void RegNet_stages_follow_torchvisions_quantisation(string name, int[] widths, int[] depths, int group)
    {
        var plan = (RegNetPlan)NetworkZoo.Create(name, 3, 1000);
        Assert.Equal(widths, plan.Stages.Select(s => s.Width));
        Assert.Equal(depths, plan.Stages.Select(s => s.Depth));
        Assert.All(plan.Stages, s => Assert.Equal(group, s.GroupWidth));
    }

    [Fact]
    public void DenseNet_BC_100_12_is_the_papers_0_8_million_parameter_network()
    {
        var plan = (DenseNetPlan)NetworkZoo.Create("densenet_bc_100_12", 3, 10);
        Assert.Equal(3, plan.Blocks.Count);
        Assert.All(plan.Blocks, b => Assert.Equal(16, b.Layers.Count));
        Assert.Equal(24, plan.StemConv.Out);
        Assert.Equal(1, plan.StemConv.Stride);
        Assert.Null(plan.StemNorm);
        Assert.InRange(plan.ParameterCount, 750_000, 820_000);
        // Compression θ = 0.5: block 1 ends at 24 + 16·12 = 216 channels, the transition keeps 108.
        Assert.Equal(216, plan.Blocks[0].Out);
        Assert.Equal(108, plan.Blocks[1].In);
    }

    [Fact]
    public void Design_point_name_rebuilds_the_named_member()
    {
        var named = (RegNetPlan)NetworkZoo.Create("regnet_x_400mf", 3, 1000);
        var point = (RegNetPlan)NetworkZoo.Create("RegNet_X:24,24.48,2.54,22,16", 3, 1000);
        Assert.Equal(named.ParameterCount, point.ParameterCount);
        Assert.Equal("regnet_x:24,24.48,2.54,22,16", point.Name);
        Assert.Equal(point.ParameterCount, NetworkZoo.Create(point.Name, 3, 1000).ParameterCount);
        var y = (RegNetPlan)NetworkZoo.Create("regnet_y:48,27.89,2.09,16,8", 3, 1000);
        Assert.Equal(4_344_144, y.ParameterCount);
    }

    [Theory]
    [InlineData("regnet_x:24,24.48,2.54,22", "5 numbers")]
    [InlineData("regnet_x:20,24.48,2.54,22,16", "w0")]
    [InlineData("regnet_x:24,24.48,1,22,16", "wm")]
    [InlineData("regnet_x:24,abc,2.54,22,16", "wa")]
    [InlineData("densenet_bc_99_12", "unknown architecture")]
    [InlineData("resnet21", "unknown architecture")]
    public void Bad_names_are_rejected_naming_the_problem(string name, string fragment)
    {
        var e = Assert.Throws<ArgumentException>(() => NetworkZoo.Create(name, 3, 10));
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResNets_come_through_the_zoo_unchanged()
    {
        var plan = NetworkZoo.Create("resnet20", 3, 10);
        Assert.IsType<ResNetPlan>(plan);
        Assert.Equal(269_722, plan.ParameterCount);
    }

    [Theory]
    [InlineData("densenet121", 224)]
    [InlineData("regnet_x_400mf", 224)]
    [InlineData("regnet_y_400mf", 224)]
    public void Multiply_adds_are_those_torchvision_documents(string name, int size)
    {
        // torchvision's model cards: DenseNet-121 2.83 GFLOPS, RegNetX-400MF 0.41, RegNetY-400MF 0.40 (GMACs).
        double expected = name switch { "densenet121" => 2.83e9, "regnet_x_400mf" => 0.41e9, _ => 0.40e9 };
        double macs = NetworkZoo.Create(name, 3, 1000).MultiplyAdds(size);
        Assert.InRange(macs, expected * 0.97, expected * 1.03);
    }
}
