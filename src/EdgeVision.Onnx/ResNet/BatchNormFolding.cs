using EdgeVision.Core.Architecture;

namespace EdgeVision.Onnx.ResNet;

/// <summary>
/// Inference-time BatchNorm as a per-channel affine y = scale·x + shift, with scale = γ/√(var+ε) and
/// shift = β − mean·scale. Computed in double so folding adds no error beyond the final float rounding.
/// </summary>
internal static class BatchNormFolding
{
    public static (double[] Scale, double[] Shift) Affine(IWeightSource weights, BatchNormPlan bn)
    {
        float[] gamma = WeightReader.Vector(weights, bn.Weight, bn.Channels);
        float[] beta = WeightReader.Vector(weights, bn.Bias, bn.Channels);
        float[] mean = WeightReader.Vector(weights, bn.RunningMean, bn.Channels);
        float[] variance = WeightReader.Vector(weights, bn.RunningVar, bn.Channels);
        var scale = new double[bn.Channels];
        var shift = new double[bn.Channels];
        for (int c = 0; c < bn.Channels; c++)
        {
            if (variance[c] < 0 || !float.IsFinite(variance[c]))
                throw new ArgumentException($"weight '{bn.RunningVar}'[{c}] = {variance[c]} is not a valid variance");
            scale[c] = gamma[c] / Math.Sqrt((double)variance[c] + BatchNormPlan.Epsilon);
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        return (scale, shift);
    }

    /// <summary>Scales every output channel of a conv weight [Out, …] in place; returns the new bias.</summary>
    public static double[] FoldIntoConv(double[] weight, int outChannels, IWeightSource weights, BatchNormPlan bn)
    {
        if (bn.Channels != outChannels)
            throw new ArgumentException($"BatchNorm '{bn.Name}' has {bn.Channels} channels, the convolution before it has {outChannels}");
        var (scale, shift) = Affine(weights, bn);
        int perChannel = weight.Length / outChannels;
        for (int o = 0; o < outChannels; o++)
        {
            for (int i = 0; i < perChannel; i++) weight[o * perChannel + i] *= scale[o];
        }
        return shift;
    }
}
