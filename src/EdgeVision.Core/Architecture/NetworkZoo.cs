namespace EdgeVision.Core.Architecture;

/// <summary>
/// Every family of the zoo behind one name: ResNets (<see cref="ResNetZoo"/>), DenseNets (<see cref="DenseNetZoo"/>)
/// and RegNets (<see cref="RegNetZoo"/>). Training stores the name in checkpoints; this rebuilds the same plan from it.
/// </summary>
public static class NetworkZoo
{
    /// <summary>A representative list for <c>edgevision zoo</c>, family by family.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ResNetZoo.Names, .. DenseNetZoo.Names, .. RegNetZoo.Names];

    public static INetworkPlan Create(string name, int inputChannels = 3, int numClasses = 1000)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = ResNetZoo.Normalize(name);
        if (DenseNetZoo.TryCreate(key) is { } dense)
            return DenseNetPlan.Build(dense.WithInput(inputChannels, numClasses));
        if (RegNetZoo.TryCreate(key) is { } regnet)
            return RegNetPlan.Build(regnet.WithInput(inputChannels, numClasses));
        if (ResNetZoo.TryCreate(key) is null)
            throw new ArgumentException($"unknown architecture '{name}'. Known: {string.Join(", ", Names)} " +
                "(other ResNet depths, densenet_bc_L_k with (L − 4) divisible by 6; regnet_x:w0,wa,wm,depth,group, regnet_y:…, regnet_x_cifar:…)");
        return ResNetPlan.Build(ResNetZoo.Create(name, inputChannels, numClasses));
    }
}
