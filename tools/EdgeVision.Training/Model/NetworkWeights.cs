using EdgeVision.Core.Architecture;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Model;

/// <summary>Moves weights between a TorchSharp module and plain <see cref="TensorData"/> (checkpoints, ONNX export).</summary>
public static class NetworkWeights
{
    // BN's step counter is TorchSharp bookkeeping, not a weight: neither the plan nor ONNX knows it.
    private const string BatchCounterSuffix = ".num_batches_tracked";

    /// <summary>Parameters and buffers (running statistics) by name, copied to managed memory.</summary>
    public static Dictionary<string, TensorData> Capture(nn.Module module)
    {
        var result = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var (name, tensor) in module.state_dict())
        {
            if (name.EndsWith(BatchCounterSuffix, StringComparison.Ordinal)) continue;
            result[name] = ToData(tensor);
        }
        return result;
    }

    public static IWeightSource ToWeightSource(nn.Module module) => new DictionaryWeightSource(Capture(module));

    /// <summary>Copies every named tensor in; a missing, extra or mis-shaped tensor is an error naming it.</summary>
    public static void Restore(nn.Module module, IReadOnlyDictionary<string, TensorData> weights)
    {
        using var noGrad = torch.no_grad();
        var state = module.state_dict();
        var expected = state.Keys.Where(k => !k.EndsWith(BatchCounterSuffix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var missing = expected.Where(k => !weights.ContainsKey(k)).ToList();
        if (missing.Count > 0) throw new InvalidDataException($"weights lack {missing.Count} tensor(s), first '{missing[0]}'");
        var extra = weights.Keys.Where(k => !expected.Contains(k)).ToList();
        if (extra.Count > 0) throw new InvalidDataException($"weights hold {extra.Count} unknown tensor(s), first '{extra[0]}'");
        foreach (string name in expected)
        {
            var target = state[name];
            var source = weights[name];
            if (!target.shape.SequenceEqual(source.Shape.Select(d => (long)d)))
                throw new InvalidDataException($"weight '{name}' has shape [{string.Join(", ", source.Shape)}], the network needs [{string.Join(", ", target.shape)}]");
            using var t = torch.tensor(source.Data, target.shape, dtype: target.dtype);
            target.copy_(t);
        }
    }

    public static TensorData ToData(Tensor tensor)
    {
        using var cpu = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
        return new TensorData(cpu.data<float>().ToArray(), cpu.shape.Select(d => checked((int)d)).ToArray());
    }
}
