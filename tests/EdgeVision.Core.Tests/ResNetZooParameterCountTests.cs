using EdgeVision.Core.Architecture;

namespace EdgeVision.Core.Tests;

public class ResNetZooParameterCountTests
{
    // torchvision.models.<name>(num_classes=1000): sum(p.numel() for p in model.parameters()).
    [Theory]
    [InlineData("resnet18", 11_689_512)]
    [InlineData("resnet34", 21_797_672)]
    [InlineData("resnet50", 25_557_032)]
    [InlineData("resnet101", 44_549_160)]
    [InlineData("resnet152", 60_192_808)]
    [InlineData("resnext50_32x4d", 25_028_904)]
    [InlineData("resnext101_32x8d", 88_791_336)]
    [InlineData("wide_resnet50_2", 68_883_240)]
    public void ImageNetResNetsMatchTorchvisionExactly(string name, long expected)
    {
        var plan = ResNetPlan.Build(ResNetZoo.Create(name, 3, 1000));
        Assert.Equal(expected, plan.ParameterCount);
    }

    // He et al. 2015, Table 6 (CIFAR-10, option A) rounds these to 0.27M, 0.46M, 0.66M, 0.85M, 1.7M;
    // the exact counts are those of the widely used option-A reference implementation (BN affine included).
    [Theory]
    [InlineData("resnet20", 269_722)]
    [InlineData("resnet32", 464_154)]
    [InlineData("resnet44", 658_586)]
    [InlineData("resnet56", 853_018)]
    [InlineData("resnet110", 1_727_962)]
    public void Cifar_ResNets_match_the_paper(string name, long expected)
    {
        var plan = ResNetPlan.Build(ResNetZoo.Create(name, 3, 10));
        Assert.Equal(expected, plan.ParameterCount);
    }

    [Fact]
    public void WideResNet28x10_matches_the_paper_36_point_5_million()
    {
        var plan = ResNetPlan.Build(ResNetZoo.Create("wrn_28_10", 3, 10));
        Assert.InRange(plan.ParameterCount, 36_400_000, 36_600_000);
    }

    [Fact]
    public void Plain_network_has_the_same_layers_without_shortcuts()
    {
        var plain = ResNetPlan.Build(ResNetZoo.Create("plain20", 3, 10));
        var residual = ResNetPlan.Build(ResNetZoo.Create("resnet20", 3, 10));
        Assert.Equal(residual.ParameterCount, plain.ParameterCount);
        Assert.All(plain.Blocks, b => Assert.Equal(ShortcutPlan.None, b.Shortcut));
        Assert.Contains(residual.Blocks, b => b.Shortcut == ShortcutPlan.SubsampleZeroPad);
    }

    [Fact]
    public void PreActivation164_uses_bottlenecks_and_a_final_norm()
    {
        var plan = ResNetPlan.Build(ResNetZoo.Create("preact_resnet164", 3, 10));
        Assert.Equal(54, plan.Blocks.Count);
        Assert.All(plan.Blocks, b => Assert.Equal(3, b.Convs.Count));
        Assert.NotNull(plan.FinalNorm);
        Assert.Null(plan.StemNorm);
        Assert.InRange(plan.ParameterCount, 1_650_000, 1_750_000); // paper: 1.7M
    }

    [Fact]
    public void ResNet18_multiply_adds_at_224_are_about_1_point_8_giga()
    {
        var plan = ResNetPlan.Build(ResNetZoo.Create("resnet18"));
        Assert.InRange(plan.MultiplyAdds(224), 1_800_000_000, 1_830_000_000); // torchvision: 1.81 GFLOPS (MACs)
    }

    [Theory]
    [InlineData("resnet19")]
    [InlineData("vgg16")]
    [InlineData("wrn_27_2")]
    public void Unknown_architecture_is_a_clear_error(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => ResNetZoo.Create(name));
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void Every_listed_name_builds()
    {
        foreach (var name in ResNetZoo.Names)
        {
            var plan = ResNetPlan.Build(ResNetZoo.Create(name, 1, 10));
            Assert.True(plan.ParameterCount > 0, name);
        }
    }
}
