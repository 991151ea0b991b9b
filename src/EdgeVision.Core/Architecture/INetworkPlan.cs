namespace EdgeVision.Core.Architecture;

/// <summary>
/// What every zoo family's concrete layer list offers, whatever its topology (residual, dense, RegNet): the
/// parameter tensors by torchvision-style name, the BatchNorms (whose running statistics are weights too), and
/// counts. The zoo, training, export and the ONNX emitter dispatch on the family's plan type behind it.
/// </summary>
public interface INetworkPlan
{
    /// <summary>The canonical zoo name; <see cref="NetworkZoo.Create"/> of it rebuilds this plan.</summary>
    string Name { get; }

    int InputChannels { get; }
    int NumClasses { get; }

    /// <summary>Residual blocks, dense layers, … — what <c>edgevision zoo</c> shows as "blocks".</summary>
    int BlockCount { get; }

    /// <summary>A short description of the layout for <c>edgevision zoo</c> ("cifar stem, basic, option A").</summary>
    string Summary { get; }

    /// <summary>Every learnable parameter tensor name with its shape, in a fixed order (running stats excluded).</summary>
    IEnumerable<(string Name, int[] Shape)> Parameters();

    /// <summary>Every BatchNorm in the network (for running statistics).</summary>
    IEnumerable<BatchNormPlan> Norms();

    long ParameterCount { get; }

    /// <summary>Multiply-accumulates of convolutions and linear layers for one image of <paramref name="inputSize"/>².</summary>
    long MultiplyAdds(int inputSize);
}
