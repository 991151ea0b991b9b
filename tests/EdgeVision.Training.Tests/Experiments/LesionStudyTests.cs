using EdgeVision.Core.Architecture;
using EdgeVision.Training.Experiments;
using EdgeVision.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Tests.Experiments;

public sealed class LesionStudyTests
{
    private static Tensor Batch() => torch.rand([4, 1, 28, 28], generator: new torch.Generator(7));

    private static ResNetNetwork Network(string arch, bool zeroInitResidual)
    {
        torch.random.manual_seed(3);
        var net = new ResNetNetwork(ResNetZoo.Create(arch, 1, 10), new NetworkOptions { ZeroInitResidual = zeroInitResidual });
        net.eval();
        return net;
    }

    [Theory]
    [InlineData("resnet20")]   // option A: identity and subsample + zero pad
    [InlineData("resnet20b")]  // option B: projections where the shape changes
    [InlineData("preact_resnet20")]
    public void Removing_a_block_whose_branch_is_initialised_to_zero_leaves_the_output_unchanged(string arch)
    {
        using var net = Network(arch, zeroInitResidual: true);
        using var x = Batch();
        using var _ = torch.no_grad();
        using var intact = net.forward(x);
        foreach (var block in net.Blocks)
        {
            // Pre-activation nets end their branch with a conv, not a BN, so zero-init leaves their branch non-zero.
            if (block.Plan.PreActivation) continue;
            block.Removed = true;
            using var lesioned = net.forward(x);
            block.Removed = false;
            Assert.True(lesioned.allclose(intact, rtol: 0, atol: 1e-6), $"{arch}: removing {block.Plan.Name} changed the output by {(lesioned - intact).abs().max().item<float>()}");
        }
        Assert.Contains(net.Blocks, b => !b.Plan.PreActivation || arch.StartsWith("preact", StringComparison.Ordinal));
    }

    [Fact]
    public void Removing_a_trained_looking_block_changes_the_output_and_putting_it_back_restores_it()
    {
        using var net = Network("resnet20", zeroInitResidual: false);
        using var x = Batch();
        using var _ = torch.no_grad();
        using var intact = net.forward(x);
        var block = net.Blocks[4];
        block.Removed = true;
        using var lesioned = net.forward(x);
        block.Removed = false;
        using var restored = net.forward(x);
        Assert.False(lesioned.allclose(intact, rtol: 0, atol: 1e-4));
        Assert.True(restored.allclose(intact, rtol: 0, atol: 0));
    }

    [Fact]
    public void A_plain_block_that_changes_shape_cannot_be_removed_and_says_why()
    {
        using var net = Network("plain20", zeroInitResidual: false);
        var downsampling = net.Blocks.First(b => b.Plan.Stride == 2);
        Assert.False(downsampling.CanBeRemoved);
        var e = Assert.Throws<InvalidOperationException>(() => downsampling.Removed = true);
        Assert.Contains(downsampling.Plan.Name, e.Message);
        Assert.True(net.Blocks[1].CanBeRemoved);
    }

    [Fact]
    public void The_study_scores_every_block_marks_downsampling_and_leaves_the_network_intact()
    {
        var data = TestData.FashionSplits(64, 128);
        using var net = Network("plain20", zeroInitResidual: false);
        var input = NetworkInput.FashionMnist;
        var before = Runs.Trainer.Evaluate(net, input, data.Validation).Predictions;
        var result = LesionStudy.Run(net, input, data.Validation);

        Assert.Equal(9, result.Rows.Count);
        Assert.Equal([3, 6], result.Rows.Where(r => r.Downsampling).Select(r => r.Index));
        Assert.All(result.Rows, r => Assert.Equal(!r.Downsampling, r.Top1 is not null));
        Assert.All(result.Rows.Where(r => r.Top1 is not null), r => Assert.InRange(r.Top1!.Value, 0, 1));
        Assert.Equal(before, Runs.Trainer.Evaluate(net, input, data.Validation).Predictions);
        Assert.All(net.Blocks, b => Assert.False(b.Removed));
    }
}
