using EdgeVision.Core.Architecture;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeVision.Training.Model;

/// <summary>
/// A <see cref="RegNetPlan"/> as a TorchSharp module, layer order as the plan documents and state-dict names as
/// torchvision's RegNet (stem.0.weight, trunk_output.block1.block1-0.f.b.1.running_var, fc.weight, …).
/// </summary>
public sealed class RegNetNetwork : ZooNetwork
{
    private readonly RegNetPlan _plan;
    private readonly Linear _fc;

    public RegNetNetwork(RegNetPlan plan, NetworkOptions? options = null) : base(plan.Name)
    {
        options = Validated(options);
        if (options.FinalSurvivalProbability < 1.0)
            throw new ArgumentException($"{plan.Name}: stochastic depth is implemented for the ResNet family only");
        _plan = plan;
        Conv(plan.StemConv);
        Norm(plan.StemNorm);
        foreach (var block in plan.Blocks)
        {
            if (block.Projection is { } proj)
            {
                Conv(proj);
                Norm(block.ProjectionNorm!);
            }
            Conv(block.A);
            Norm(block.NormA);
            Conv(block.B);
            Norm(block.NormB);
            if (block.SqueezeExcitation is { } se)
            {
                Conv(se.Fc1);
                Conv(se.Fc2);
            }
            Conv(block.C);
            Norm(block.NormC);
        }
        _fc = Classifier(plan.Classifier);
        Initialize(options.ZeroInitResidual);
    }

    public override RegNetPlan Plan => _plan;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.relu(ConvNorm(x, _plan.StemConv, _plan.StemNorm));
        foreach (var block in _plan.Blocks)
        {
            var f = nn.functional.relu(ConvNorm(y, block.A, block.NormA));
            f = nn.functional.relu(ConvNorm(f, block.B, block.NormB));
            if (block.SqueezeExcitation is { } se) f = Excite(f, se);
            f = ConvNorm(f, block.C, block.NormC);
            var shortcut = block.Projection is { } proj ? ConvNorm(y, proj, block.ProjectionNorm!) : y;
            y = nn.functional.relu(shortcut + f);
        }
        return _fc.forward(y.mean([2, 3])).MoveToOuterDisposeScope();
    }

    private Tensor ConvNorm(Tensor x, ConvPlan conv, BatchNormPlan norm) => Norms[norm.Name].forward(Convs[conv.Name].forward(x));

    private Tensor Excite(Tensor x, ConvSqueezeExcitationPlan se)
    {
        var s = x.mean([2, 3], keepdim: true);
        s = nn.functional.relu(Convs[se.Fc1.Name].forward(s));
        return x * nn.functional.sigmoid(Convs[se.Fc2.Name].forward(s));
    }

    // torchvision's RegNet: conv weights normal with std √(2 / fan_out), BN γ = 1 and β = 0, fc normal(0, 0.01)
    // with zero bias; zero-init-residual zeroes each block's last BN γ (f.c.1) so every block starts as its shortcut.
    private void Initialize(bool zeroInitResidual)
    {
        InitializeConvsAndNorms(nn.init.FanInOut.FanOut);
        using var noGrad = torch.no_grad();
        nn.init.normal_(_fc.weight!, 0.0, 0.01);
        nn.init.zeros_(_fc.bias!);
        if (zeroInitResidual)
        {
            foreach (var block in _plan.Blocks) nn.init.zeros_(Norms[block.NormC.Name].weight!);
        }
    }
}
