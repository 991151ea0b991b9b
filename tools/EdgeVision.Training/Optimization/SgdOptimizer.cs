using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Optimization;

/// <summary>
/// SGD with momentum, optional Nesterov, and L2 weight decay, with PyTorch's update rule
/// (buf = μ·buf + g + λ·p; p −= lr·(g' + μ·buf) or lr·buf). Weight decay applies to every parameter, as in
/// PyTorch and torchvision's reference recipes, unless one-dimensional parameters (BatchNorm scale and shift,
/// biases) are exempted: they set scale and offset, not capacity, and decaying them only fights the
/// normalisation. Written here rather than taken from
/// TorchSharp so the momentum buffers are plain named tensors a checkpoint can save and restore exactly.
/// </summary>
public sealed class SgdOptimizer : IDisposable
{
    private readonly (string Name, Tensor Parameter, double Decay)[] _parameters;
    private readonly Dictionary<string, Tensor> _momentum = new(StringComparer.Ordinal);

    public SgdOptimizer(nn.Module module, double momentum, bool nesterov, double weightDecay, bool decayNormAndBias = true)
    {
        if (momentum is < 0 or >= 1) throw new ArgumentException($"momentum must be in [0, 1), not {momentum}");
        if (weightDecay < 0) throw new ArgumentException($"weight decay must not be negative, not {weightDecay}");
        if (nesterov && momentum == 0) throw new ArgumentException("Nesterov momentum needs a momentum above 0");
        _parameters = module.named_parameters()
            .Select(p => (p.name, (Tensor)p.parameter, decayNormAndBias || p.parameter.dim() > 1 ? weightDecay : 0.0))
            .ToArray();
        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        DecayNormAndBias = decayNormAndBias;
    }

    public double Momentum { get; }
    public bool Nesterov { get; }
    public double WeightDecay { get; }
    public bool DecayNormAndBias { get; }

    public void ZeroGrad()
    {
        foreach (var (_, p, _) in _parameters)
        {
            if (p.grad is { } g) g.zero_();
        }
    }

    public void Step(double learningRate)
    {
        using var noGrad = torch.no_grad();
        using var scope = NewDisposeScope();
        foreach (var (name, p, decay) in _parameters)
        {
            if (p.grad is not { } grad) continue;
            var d = decay > 0 ? grad.add(p, alpha: decay) : grad;
            if (Momentum > 0)
            {
                if (_momentum.TryGetValue(name, out var buf)) buf.mul_(Momentum).add_(d);
                else _momentum[name] = buf = d.detach().clone().DetachFromDisposeScope();
                d = Nesterov ? d.add(buf, alpha: Momentum) : buf;
            }
            p.add_(d, alpha: -learningRate);
        }
    }

    /// <summary>Momentum buffers by parameter name (copies), for checkpoints.</summary>
    public Dictionary<string, Core.Architecture.TensorData> CaptureState() =>
        _momentum.ToDictionary(kv => kv.Key, kv => Model.NetworkWeights.ToData(kv.Value), StringComparer.Ordinal);

    public void RestoreState(IReadOnlyDictionary<string, Core.Architecture.TensorData> state)
    {
        var known = _parameters.ToDictionary(p => p.Name, p => p.Parameter, StringComparer.Ordinal);
        foreach (var (name, data) in state)
        {
            if (!known.TryGetValue(name, out var p)) throw new InvalidDataException($"optimizer state names unknown parameter '{name}'");
            if (!p.shape.SequenceEqual(data.Shape.Select(d => (long)d)))
                throw new InvalidDataException($"optimizer state for '{name}' has shape [{string.Join(", ", data.Shape)}], the parameter [{string.Join(", ", p.shape)}]");
            if (_momentum.Remove(name, out var old)) old.Dispose();
            _momentum[name] = torch.tensor(data.Data, p.shape, dtype: p.dtype).DetachFromDisposeScope();
        }
    }

    public void Dispose()
    {
        foreach (var t in _momentum.Values) t.Dispose();
        _momentum.Clear();
    }
}
