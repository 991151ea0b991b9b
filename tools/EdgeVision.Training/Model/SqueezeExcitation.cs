using EdgeVision.Core.Architecture;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeVision.Training.Model;

/// <summary>Squeeze-and-excitation (Hu et al.): global average, fc1, ReLU, fc2, sigmoid, channel scale.</summary>
public sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc1;
    private readonly Linear _fc2;

    public SqueezeExcitation(SqueezeExcitationPlan plan) : base(plan.Name)
    {
        _fc1 = nn.Linear(plan.Fc1.In, plan.Fc1.Out, hasBias: true);
        _fc2 = nn.Linear(plan.Fc2.In, plan.Fc2.Out, hasBias: true);
        register_module("fc1", _fc1);
        register_module("fc2", _fc2);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var s = x.mean([2, 3]);
        s = nn.functional.sigmoid(_fc2.forward(nn.functional.relu(_fc1.forward(s))));
        return (x * s.unsqueeze(-1).unsqueeze(-1)).MoveToOuterDisposeScope();
    }
}
