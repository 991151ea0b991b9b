using EdgeVision.Core.Architecture;
using static TorchSharp.torch;

namespace EdgeVision.Training.Model;

/// <summary>
/// A zoo network of any family as a TorchSharp module whose state dict uses its plan's parameter names, so
/// training, checkpoints and the ONNX emitter exchange weights without renaming.
/// </summary>
public abstract class ZooNetwork : nn.Module<Tensor, Tensor>
{
    protected ZooNetwork(string name) : base(name)
    {
    }

    public abstract INetworkPlan Plan { get; }
}
