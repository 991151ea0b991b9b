using EdgeVision.Core.Architecture;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeVision.Training.Model;

/// <summary>
/// A <see cref="ResNetSpec"/> as a TorchSharp module, built by walking <see cref="ResNetPlan"/> so its
/// state dict uses the plan's names (conv1.weight, layer1.0.bn1.running_mean, fc.bias, …) and feeds the
/// ONNX emitter without renaming.
/// </summary>
public sealed class ResNetNetwork : ZooNetwork
{
    private readonly Conv2d _stem;
    private readonly BatchNorm2d? _stemNorm;
    private readonly Sequential[] _stages;
    private readonly BatchNorm2d? _finalNorm;
    private readonly Linear _fc;

    public ResNetNetwork(ResNetSpec spec, NetworkOptions? options = null) : base(spec.Name)
    {
        options = Validated(options);
        Spec = spec;
        Plan = ResNetPlan.Build(spec);

        _stem = LayerFactory.Conv(Plan.StemConv);
        register_module("conv1", _stem);
        if (Plan.StemNorm is { } sn)
        {
            _stemNorm = LayerFactory.BatchNorm(sn);
            register_module("bn1", _stemNorm);
        }

        int total = Plan.Blocks.Count;
        var blocks = Plan.Blocks.Select(b => new ResNetBlock(b, options.SurvivalProbability(b.Index, total))).ToArray();
        Blocks = blocks;
        _stages = blocks
            .GroupBy(b => b.Plan.Name[..b.Plan.Name.IndexOf('.', StringComparison.Ordinal)])
            .Select(g => nn.Sequential(g.Select(b => (b.Plan.Name[(b.Plan.Name.IndexOf('.', StringComparison.Ordinal) + 1)..], (nn.Module<Tensor, Tensor>)b))))
            .ToArray();
        for (int s = 0; s < _stages.Length; s++) register_module($"layer{s + 1}", _stages[s]);

        if (Plan.FinalNorm is { } fn)
        {
            _finalNorm = LayerFactory.BatchNorm(fn);
            register_module("bn_final", _finalNorm);
        }
        _fc = nn.Linear(Plan.Classifier.In, Plan.Classifier.Out, hasBias: true);
        register_module("fc", _fc);

        Initialize(options.ZeroInitResidual);
    }

    public ResNetSpec Spec { get; }
    public override ResNetPlan Plan { get; }
    public IReadOnlyList<ResNetBlock> Blocks { get; }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = _stem.forward(x);
        if (_stemNorm is not null) y = nn.functional.relu(_stemNorm.forward(y));
        if (Plan.StemMaxPool) y = nn.functional.max_pool2d(y, kernel_size: 3, stride: 2, padding: 1);
        foreach (var stage in _stages) y = stage.forward(y);
        if (_finalNorm is not null) y = nn.functional.relu(_finalNorm.forward(y));
        y = y.mean([2, 3]);
        return _fc.forward(y).MoveToOuterDisposeScope();
    }

    // He et al. 2015: Kaiming normal (fan_out, ReLU) for convolutions, BN γ = 1 and β = 0;
    // the classifier keeps torch's default uniform initialization (as torchvision does).
    private void Initialize(bool zeroInitResidual)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    break;
                case BatchNorm2d bn:
                    nn.init.ones_(bn.weight!);
                    nn.init.zeros_(bn.bias!);
                    break;
            }
        }
        // Goyal et al. 2017: each residual block starts as the identity.
        if (zeroInitResidual)
        {
            foreach (var block in Blocks.Where(b => b.Plan.Shortcut != ShortcutPlan.None))
                nn.init.zeros_(block.LastBranchNorm.weight!);
        }
    }
}
