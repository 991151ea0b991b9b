using EdgeVision.Core.Architecture;

namespace EdgeVision.Onnx.ResNet;

/// <summary>Reads weights by name and checks their shapes, so a checkpoint that does not fit the plan fails naming the tensor.</summary>
internal static class WeightReader
{
    public static TensorData Tensor(IWeightSource weights, string name, params int[] expectedShape)
    {
        var t = weights.Get(name);
        if (!t.Shape.SequenceEqual(expectedShape))
            throw new ArgumentException($"weight '{name}' has shape [{string.Join(", ", t.Shape)}], the architecture needs [{string.Join(", ", expectedShape)}]");
        foreach (float v in t.Data)
        {
            if (!float.IsFinite(v)) throw new ArgumentException($"weight '{name}' contains {v}");
        }
        return t;
    }

    public static float[] Vector(IWeightSource weights, string name, int length) => Tensor(weights, name, length).Data;

    public static double[] ConvWeight(IWeightSource weights, ConvPlan conv) =>
        Array.ConvertAll(Tensor(weights, conv.Weight, conv.Out, conv.In / conv.Groups, conv.Kernel, conv.Kernel).Data, v => (double)v);

    public static float[] ToFloats(double[] values) => Array.ConvertAll(values, v => (float)v);
}
