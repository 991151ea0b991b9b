using EdgeVision.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Tests;

public class SgdOptimizerTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Weight_decay_reaches_batchnorm_and_biases_only_when_asked(bool decayNormAndBias)
    {
        using var module = nn.Sequential(("fc", nn.Linear(3, 2)), ("bn", nn.BatchNorm1d(2)));
        var before = Snapshot(module);
        using var optimizer = new SgdOptimizer(module, momentum: 0, nesterov: false, weightDecay: 0.1, decayNormAndBias);

        // Zero gradients: whatever moves is weight decay alone, p ← p − lr·λ·p = 0.9·p at lr 1.
        using (var scope = NewDisposeScope())
        {
            var output = module.forward(torch.randn(4, 3));
            optimizer.ZeroGrad();
            (output.sum() * 0).backward();
        }
        optimizer.Step(learningRate: 1.0);
        var after = Snapshot(module);

        AssertScaled(before["fc.weight"], after["fc.weight"], 0.9f);
        float exempt = decayNormAndBias ? 0.9f : 1f;
        AssertScaled(before["fc.bias"], after["fc.bias"], exempt);
        AssertScaled(before["bn.weight"], after["bn.weight"], exempt);
        Assert.Equal(1f, before["bn.weight"][0]); // BatchNorm starts at scale 1, so a decayed scale is visible
    }

    private static Dictionary<string, float[]> Snapshot(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().data<float>().ToArray());

    private static void AssertScaled(float[] before, float[] after, float factor)
    {
        Assert.Equal(before.Length, after.Length);
        for (int i = 0; i < before.Length; i++)
            Assert.Equal(before[i] * factor, after[i], 5);
    }
}
