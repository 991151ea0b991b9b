using EdgeVision.Core.Architecture;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeVision.Training.Model;

/// <summary>TorchSharp layers from plan records, with the plan's hyper-parameters (conv bias only where the plan has one, BN eps 1e-5).</summary>
internal static class LayerFactory
{
    public static Conv2d Conv(ConvPlan c) =>
        nn.Conv2d(c.In, c.Out, kernel_size: c.Kernel, stride: c.Stride, padding: c.Padding, groups: c.Groups, bias: c.Bias);

    public static BatchNorm2d BatchNorm(BatchNormPlan n) => nn.BatchNorm2d(n.Channels, eps: BatchNormPlan.Epsilon, momentum: 0.1);

    public static Linear Linear(LinearPlan l) => nn.Linear(l.In, l.Out, hasBias: true);
}
