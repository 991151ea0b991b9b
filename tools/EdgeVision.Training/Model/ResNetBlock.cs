using EdgeVision.Core.Architecture;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeVision.Training.Model;

/// <summary>
/// One block of <see cref="BlockPlan"/>, layer order exactly as the plan documents, sub-module names
/// exactly as the plan's parameter names (conv1, bn1, downsample.0, se.fc1, …).
/// </summary>
public sealed class ResNetBlock : nn.Module<Tensor, Tensor>
{
    private readonly BlockPlan _plan;
    private readonly Conv2d[] _convs;
    private readonly BatchNorm2d[] _norms;
    private readonly Conv2d? _projection;
    private readonly BatchNorm2d? _projectionNorm;
    private readonly SqueezeExcitation? _se;

    public ResNetBlock(BlockPlan plan, double survivalProbability) : base(plan.Name)
    {
        _plan = plan;
        SurvivalProbability = survivalProbability;
        _convs = plan.Convs.Select(LayerFactory.Conv).ToArray();
        _norms = plan.Norms.Select(LayerFactory.BatchNorm).ToArray();
        // Registration order follows the plan's parameter order so state dicts list the same way.
        for (int i = 0; i < _convs.Length; i++)
        {
            if (plan.PreActivation) register_module($"bn{i + 1}", _norms[i]);
            register_module($"conv{i + 1}", _convs[i]);
            if (!plan.PreActivation) register_module($"bn{i + 1}", _norms[i]);
        }
        if (plan.SqueezeExcitation is { } se)
        {
            _se = new SqueezeExcitation(se);
            register_module("se", _se);
        }
        if (plan.ProjectionConv is { } pc)
        {
            _projection = LayerFactory.Conv(pc);
            var downsample = new List<(string, nn.Module<Tensor, Tensor>)> { ("0", _projection) };
            if (plan.ProjectionNorm is { } pn)
            {
                _projectionNorm = LayerFactory.BatchNorm(pn);
                downsample.Add(("1", _projectionNorm));
            }
            register_module("downsample", nn.Sequential(downsample));
        }
    }

    public BlockPlan Plan => _plan;

    /// <summary>Stochastic depth: probability that the residual branch is kept in training; 1 disables.</summary>
    public double SurvivalProbability { get; }

    /// <summary>
    /// Test-time lesion (Veit et al. 2016): the block computes only its shortcut, as if its residual branch output
    /// zero — the identity, option A's subsample + zero pad, or the projection; a plain block becomes the identity.
    /// Set it only where <see cref="CanBeRemoved"/>.
    /// </summary>
    public bool Removed
    {
        get => _removed;
        set
        {
            if (value && !CanBeRemoved)
                throw new InvalidOperationException($"{_plan.Name}: a plain block that changes shape ({_plan.In}→{_plan.Out} channels, stride {_plan.Stride}) has no path left when removed");
            _removed = value;
        }
    }

    /// <summary>False only for a plain block whose input and output shapes differ (nothing could stand in for it).</summary>
    public bool CanBeRemoved => _plan.CanBeRemoved;

    private bool _removed;

    /// <summary>The BN whose γ, when zero, makes the branch output zero at initialization.</summary>
    public BatchNorm2d LastBranchNorm => _norms[^1];

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        if (_removed) return Shortcut(x).MoveToOuterDisposeScope();
        Tensor branch;
        Tensor shortcutInput = x;
        if (_plan.PreActivation)
        {
            var a = nn.functional.relu(_norms[0].forward(x));
            if (_plan.Shortcut == ShortcutPlan.Projection) shortcutInput = a;
            branch = _convs[0].forward(a);
            for (int i = 1; i < _convs.Length; i++)
                branch = _convs[i].forward(nn.functional.relu(_norms[i].forward(branch)));
        }
        else
        {
            branch = x;
            for (int i = 0; i < _convs.Length; i++)
            {
                branch = _norms[i].forward(_convs[i].forward(branch));
                if (i < _convs.Length - 1) branch = nn.functional.relu(branch);
            }
        }
        if (_se is not null) branch = _se.forward(branch);
        if (training && SurvivalProbability < 1.0 && _plan.Shortcut != ShortcutPlan.None)
            branch = DropBranch(branch);

        Tensor y = _plan.Shortcut switch
        {
            ShortcutPlan.None => branch,
            ShortcutPlan.Identity => branch + shortcutInput,
            ShortcutPlan.SubsampleZeroPad => branch + SubsampleZeroPad(shortcutInput),
            ShortcutPlan.Projection => branch + Project(shortcutInput),
            _ => throw new InvalidOperationException($"{_plan.Name}: unknown shortcut {_plan.Shortcut}"),
        };
        if (!_plan.PreActivation) y = nn.functional.relu(y);
        return y.MoveToOuterDisposeScope();
    }

    // What the block outputs when its branch is zero: post-activation's final ReLU is kept (a no-op on the
    // non-negative identity path, not on a projection).
    private Tensor Shortcut(Tensor x)
    {
        Tensor y = _plan.Shortcut switch
        {
            // A new handle, so the caller's tensor is never moved between dispose scopes.
            ShortcutPlan.None or ShortcutPlan.Identity => x.alias(),
            ShortcutPlan.SubsampleZeroPad => SubsampleZeroPad(x),
            ShortcutPlan.Projection => Project(_plan.PreActivation ? nn.functional.relu(_norms[0].forward(x)) : x),
            _ => throw new InvalidOperationException($"{_plan.Name}: unknown shortcut {_plan.Shortcut}"),
        };
        return _plan.PreActivation || _plan.Shortcut == ShortcutPlan.None ? y : nn.functional.relu(y);
    }

    private Tensor Project(Tensor x)
    {
        var p = _projection!.forward(x);
        return _projectionNorm is null ? p : _projectionNorm.forward(p);
    }

    // Option A: x[:, :, ::2, ::2] (when strided), then zero channels split equally before and after.
    private Tensor SubsampleZeroPad(Tensor x)
    {
        if (_plan.Stride == 2) x = x[.., .., TensorIndex.Slice(null, null, 2), TensorIndex.Slice(null, null, 2)];
        long pad = (_plan.Out - _plan.In) / 2;
        return pad == 0 ? x : nn.functional.pad(x, [0, 0, 0, 0, pad, pad]);
    }

    // Per-sample drop with inverted scaling, so evaluation uses the branch unchanged.
    private Tensor DropBranch(Tensor branch)
    {
        double p = SurvivalProbability;
        var keep = torch.empty([branch.shape[0], 1, 1, 1], dtype: branch.dtype).bernoulli_(p);
        return branch * keep.div_(p);
    }
}
