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
    private readonly Dictionary<string, Conv2d> _convs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BatchNorm2d> _norms = new(StringComparer.Ordinal);
    private readonly Linear _classifier;

    public DenseNetNetwork(DenseNetPlan plan, NetworkOptions? options = null) : base(plan.Name)
    {
        options ??= new NetworkOptions();
        options.Validate();
        if (options.ZeroInitResidual || options.FinalSurvivalProbability < 1.0)
            throw new ArgumentException($"{plan.Name}: zero-init-residual and stochastic depth need residual blocks; a DenseNet has none");
        _plan = plan;
        var tree = new ModuleTree((name, module) => register_module(name, module));
        Conv(tree, plan.StemConv);
        if (plan.StemNorm is { } stemNorm) Norm(tree, stemNorm);
        foreach (var block in plan.Blocks)
        {
            foreach (var layer in block.Layers)
            {
                Norm(tree, layer.Norm1);
                Conv(tree, layer.Conv1);
                Norm(tree, layer.Norm2);
                Conv(tree, layer.Conv2);
            }
            if (block.Transition is { } t)
            {
                Norm(tree, t.Norm);
                Conv(tree, t.Conv);
            }
        }
        Norm(tree, plan.FinalNorm);
        _classifier = tree.Add(plan.Classifier.Name, LayerFactory.Linear(plan.Classifier));
        Initialize();
    }

    public override DenseNetPlan Plan => _plan;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = _convs[_plan.StemConv.Name].forward(x);
        if (_plan.StemNorm is { } stemNorm) y = nn.functional.relu(_norms[stemNorm.Name].forward(y));
        if (_plan.StemMaxPool) y = nn.functional.max_pool2d(y, kernel_size: 3, stride: 2, padding: 1);
        foreach (var block in _plan.Blocks)
        {
            foreach (var layer in block.Layers)
            {
                var h = _convs[layer.Conv1.Name].forward(nn.functional.relu(_norms[layer.Norm1.Name].forward(y)));
                h = _convs[layer.Conv2.Name].forward(nn.functional.relu(_norms[layer.Norm2.Name].forward(h)));
                y = torch.cat([y, h], 1);
            }
            if (block.Transition is { } t)
            {
                y = _convs[t.Conv.Name].forward(nn.functional.relu(_norms[t.Norm.Name].forward(y)));
                y = nn.functional.avg_pool2d(y, kernel_size: 2, stride: 2);
            }
        }
        y = nn.functional.relu(_norms[_plan.FinalNorm.Name].forward(y)).mean([2, 3]);
        return _classifier.forward(y).MoveToOuterDisposeScope();
    }

    private void Conv(ModuleTree tree, ConvPlan plan) => _convs[plan.Name] = tree.Add(plan.Name, LayerFactory.Conv(plan));

    private void Norm(ModuleTree tree, BatchNormPlan plan) => _norms[plan.Name] = tree.Add(plan.Name, LayerFactory.BatchNorm(plan));

    // torchvision's DenseNet: Kaiming normal (fan_in) convolutions, BN γ = 1 and β = 0, classifier bias 0.
    private void Initialize()
    {
        using var noGrad = torch.no_grad();
        foreach (var conv in _convs.Values)
            nn.init.kaiming_normal_(conv.weight!, mode: nn.init.FanInOut.FanIn, nonlinearity: nn.init.NonlinearityType.ReLU);
        foreach (var bn in _norms.Values)
        {
            nn.init.ones_(bn.weight!);
            nn.init.zeros_(bn.bias!);
        }
        nn.init.zeros_(_classifier.bias!);
    }
}
