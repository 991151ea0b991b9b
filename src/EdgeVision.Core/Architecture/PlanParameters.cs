namespace EdgeVision.Core.Architecture;

/// <summary>The parameter tensors each layer record contributes, in torch's state-dict order.</summary>
public static class PlanParameters
{
    public static IEnumerable<(string, int[])> Of(ConvPlan c) => c.Bias
        ? [(c.Weight, [c.Out, c.In / c.Groups, c.Kernel, c.Kernel]), (c.BiasName, [c.Out])]
        : [(c.Weight, [c.Out, c.In / c.Groups, c.Kernel, c.Kernel])];

    public static IEnumerable<(string, int[])> Of(BatchNormPlan n) =>
        [(n.Weight, [n.Channels]), (n.Bias, [n.Channels])];

    public static IEnumerable<(string, int[])> Of(LinearPlan l) =>
        [(l.Weight, [l.Out, l.In]), (l.Bias, [l.Out])];

    public static long Count(IEnumerable<(string Name, int[] Shape)> parameters) =>
        parameters.Sum(p => p.Shape.Aggregate(1L, (a, d) => a * d));

    /// <summary>Multiply-adds of <paramref name="conv"/> on a square input of <paramref name="inputSize"/>; the output size goes out.</summary>
    public static long ConvMacs(ConvPlan conv, int inputSize, out int outputSize)
    {
        outputSize = conv.OutputSize(inputSize);
        return (long)conv.Out * (conv.In / conv.Groups) * conv.Kernel * conv.Kernel * outputSize * outputSize;
    }

    /// <summary>torchvision's 3×3/2 max pool with padding 1 after an ImageNet stem.</summary>
    public static int StemMaxPoolOutput(int size) => (size + 2 - 3) / 2 + 1;
}
