using EdgeVision.Core.Architecture;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeVision.Training.Model;

/// <summary>
/// A <see cref="DenseNetPlan"/> as a TorchSharp module, layer order as the plan documents and state-dict names as
/// torchvision's DenseNet (features.denseblock1.denselayer1.conv1.weight, classifier.bias, …).
/// </summary>
public sealed class DenseNetNetwork : ZooNetwork
{
    private readonly DenseNetPlan _plan;
    private readonly Linear _classifier;

    public DenseNetNetwork(DenseNetPlan plan, NetworkOptions? options = null) : base(plan.Name)
    {
        options = Validated(options);
        if (options.ZeroInitResidual || options.FinalSurvivalProbability < 1.0)
            throw new ArgumentException($"{plan.Name}: zero-init-residual and stochastic depth need residual blocks; a DenseNet has none");
        _plan = plan;
        Conv(plan.StemConv);
        if (plan.StemNorm is { } stemNorm) Norm(stemNorm);
        foreach (var block in plan.Blocks)
        {
            foreach (var layer in block.Layers)
            {
                Norm(layer.Norm1);
                Conv(layer.Conv1);
                Norm(layer.Norm2);
                Conv(layer.Conv2);
            }
            if (block.Transition is { } t)
            {
                Norm(t.Norm);
                Conv(t.Conv);
            }
        }
        Norm(plan.FinalNorm);
        _classifier = Classifier(plan.Classifier);
        Initialize();
    }

    public override DenseNetPlan Plan => _plan;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = Convs[_plan.StemConv.Name].forward(x);
        if (_plan.StemNorm is { } stemNorm) y = nn.functional.relu(Norms[stemNorm.Name].forward(y));
        if (_plan.StemMaxPool) y = nn.functional.max_pool2d(y, kernel_size: 3, stride: 2, padding: 1);
        foreach (var block in _plan.Blocks)
        {
            foreach (var layer in block.Layers)
            {
                var h = Convs[layer.Conv1.Name].forward(nn.functional.relu(Norms[layer.Norm1.Name].forward(y)));
                h = Convs[layer.Conv2.Name].forward(nn.functional.relu(Norms[layer.Norm2.Name].forward(h)));
                y = torch.cat([y, h], 1);
            }
            if (block.Transition is { } t)
            {
                y = Convs[t.Conv.Name].forward(nn.functional.relu(Norms[t.Norm.Name].forward(y)));
                y = nn.functional.avg_pool2d(y, kernel_size: 2, stride: 2);
            }
        }
        y = nn.functional.relu(Norms[_plan.FinalNorm.Name].forward(y)).mean([2, 3]);
        return _classifier.forward(y).MoveToOuterDisposeScope();
    }

    // torchvision's DenseNet: Kaiming normal (fan_in) convolutions, BN γ = 1 and β = 0, classifier bias 0.
    private void Initialize()
    {
        InitializeConvsAndNorms(nn.init.FanInOut.FanIn);
        using var noGrad = torch.no_grad();
        nn.init.zeros_(_classifier.bias!);
    }
}
