using EdgeVision.Core.Architecture;

namespace EdgeVision.Training.Model;

/// <summary>The TorchSharp module for a plan of any family.</summary>
public static class ZooNetworks
{
    public static ZooNetwork Create(string architecture, int inputChannels, int numClasses, NetworkOptions? options = null) =>
        Create(NetworkZoo.Create(architecture, inputChannels, numClasses), options);

    public static ZooNetwork Create(INetworkPlan plan, NetworkOptions? options = null) => plan switch
    {
        ResNetPlan resnet => new ResNetNetwork(resnet.Spec, options),
        DenseNetPlan dense => new DenseNetNetwork(dense, options),
        RegNetPlan regnet => new RegNetNetwork(regnet, options),
        _ => throw new ArgumentException($"{plan.Name}: no TorchSharp module for a {plan.GetType().Name}"),
    };
}
