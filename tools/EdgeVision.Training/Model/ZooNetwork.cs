using EdgeVision.Core.Architecture;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeVision.Training.Model;

/// <summary>
/// A zoo network of any family as a TorchSharp module whose state dict uses its plan's parameter names, so
/// training, checkpoints and the ONNX emitter exchange weights without renaming.
/// </summary>
public abstract class ZooNetwork : nn.Module<Tensor, Tensor>
{
    private ModuleTree? _tree;

    protected ZooNetwork(string name) : base(name)
    {
    }

    public abstract INetworkPlan Plan { get; }

    /// <summary>The options given (the defaults for null), validated.</summary>
    protected static NetworkOptions Validated(NetworkOptions? options)
    {
        options ??= new NetworkOptions();
        options.Validate();
        return options;
    }

    // The families that hold their leaf layers flat by plan name, in the plan's order (DenseNet, RegNet), register them
    // through Conv, Norm and Classifier: the state dict still nests exactly as torchvision's names do.
    protected Dictionary<string, Conv2d> Convs { get; } = new(StringComparer.Ordinal);
    protected Dictionary<string, BatchNorm2d> Norms { get; } = new(StringComparer.Ordinal);

    protected void Conv(ConvPlan plan) => Convs[plan.Name] = Tree.Add(plan.Name, LayerFactory.Conv(plan));

    protected void Norm(BatchNormPlan plan) => Norms[plan.Name] = Tree.Add(plan.Name, LayerFactory.BatchNorm(plan));

    protected Linear Classifier(LinearPlan plan) => Tree.Add(plan.Name, LayerFactory.Linear(plan));

    private ModuleTree Tree => _tree ??= new ModuleTree((name, module) => register_module(name, module));

    /// <summary>torchvision's start for those families: Kaiming-normal convolutions (<paramref name="fan"/> as the family has it), BN γ = 1 and β = 0.</summary>
    protected void InitializeConvsAndNorms(nn.init.FanInOut fan)
    {
        using var noGrad = torch.no_grad();
        foreach (var conv in Convs.Values)
            nn.init.kaiming_normal_(conv.weight!, mode: fan, nonlinearity: nn.init.NonlinearityType.ReLU);
        foreach (var bn in Norms.Values)
        {
            nn.init.ones_(bn.weight!);
            nn.init.zeros_(bn.bias!);
        }
    }
}
