using EdgeVision.Core.Architecture;

namespace EdgeVision.Onnx;

/// <summary>
/// Deterministic random weights for a plan, for tests and benchmarks. The BatchNorm statistics are deliberately
/// far from identity (γ ∈ [0.5, 1.5], var ∈ [0.5, 2], non-zero β and mean) so that folding is really exercised.
/// </summary>
public static class RandomWeights
{
    public static IWeightSource Create(INetworkPlan plan, int seed)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var random = new Random(seed);
        var tensors = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        var norms = plan.Norms().ToDictionary(n => n.Weight, StringComparer.Ordinal);
        var normByBias = plan.Norms().ToDictionary(n => n.Bias, StringComparer.Ordinal);

        foreach (var (name, shape) in plan.Parameters())
        {
            int count = shape.Aggregate(1, (a, d) => a * d);
            var data = new float[count];
            if (norms.TryGetValue(name, out _))
            {
                for (int i = 0; i < count; i++) data[i] = (float)(0.5 + random.NextDouble());
            }
            else if (normByBias.ContainsKey(name))
            {
                Normal(random, data, 0.1);
            }
            else if (shape.Length == 4)
            {
                // He-normal: std = sqrt(2 / fan_in), fan_in = in/groups · k · k.
                Normal(random, data, Math.Sqrt(2.0 / (shape[1] * shape[2] * shape[3])));
            }
            else if (shape.Length == 2)
            {
                Normal(random, data, 1.0 / Math.Sqrt(shape[1]));
            }
            else
            {
                Normal(random, data, 0.05);
            }
            tensors[name] = new TensorData(data, shape);
        }

        foreach (var norm in plan.Norms())
        {
            var mean = new float[norm.Channels];
            var variance = new float[norm.Channels];
            Normal(random, mean, 0.1);
            for (int i = 0; i < variance.Length; i++) variance[i] = (float)(0.5 + 1.5 * random.NextDouble());
            tensors[norm.RunningMean] = new TensorData(mean, norm.Channels);
            tensors[norm.RunningVar] = new TensorData(variance, norm.Channels);
        }
        return new DictionaryWeightSource(tensors);
    }

    // Box–Muller; System.Random has no normal sampler and this keeps the sequence identical across .NET versions.
    private static void Normal(Random random, float[] data, double std)
    {
        for (int i = 0; i < data.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            data[i] = (float)(std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
    }
}
