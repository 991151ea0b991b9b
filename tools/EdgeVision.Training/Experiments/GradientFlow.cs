using EdgeVision.Data;
using EdgeVision.Training.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeVision.Training.Experiments;

/// <summary>‖∂L/∂W‖ of one convolution, in forward order (0 = the stem).</summary>
public sealed record ConvGradient(int Order, string Name, double Norm);

/// <summary>
/// Per-layer gradient norms of the cross-entropy on one fixed batch, the way the degradation problem is usually
/// diagnosed: in a deep plain network the early layers' gradients shrink (or explode) relative to the late ones,
/// while identity shortcuts carry them back unchanged. Training-mode forward (batch statistics), as during SGD;
/// the gradients are cleared afterwards, and the BatchNorm running statistics that forward updated are put back,
/// so measuring changes nothing in the network.
/// </summary>
public static class GradientFlow
{
    public static IReadOnlyList<ConvGradient> Measure(ZooNetwork network, NetworkInput input, ImageDataset data, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize < 1 || batchSize > data.Count) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"1..{data.Count} images");
        bool wasTraining = network.training;
        network.train();
        var convs = ForwardOrder(network);
        var state = NetworkWeights.Capture(network);
        try
        {
            network.zero_grad();
            using (var scope = NewDisposeScope())
            {
                var pixels = tensor(data.Pixels.AsSpan(0, batchSize * data.ImageBytes).ToArray(), [batchSize, data.Height, data.Width, data.Channels], dtype: ScalarType.Byte);
                var labels = tensor(data.Labels.AsSpan(0, batchSize).ToArray().Select(l => (long)l).ToArray());
                var loss = nn.functional.cross_entropy(network.forward(input.ToNetwork(pixels)), labels);
                loss.backward();
            }
            return convs.Select((c, i) =>
            {
                using var grad = c.Conv.weight!.grad ?? throw new InvalidOperationException($"{c.Name}: no gradient reached this convolution");
                using var norm = grad.norm();
                return new ConvGradient(i, c.Name, norm.item<float>());
            }).ToList();
        }
        finally
        {
            network.zero_grad();
            NetworkWeights.Restore(network, state);
            if (!wasTraining) network.eval();
        }
    }

    // Registration order is the plan's: stem, then per block its convs and then its projection; that is the order
    // data flows through them (a projection runs beside its block's convs, so its place among them is a convention).
    private static List<(string Name, Conv2d Conv)> ForwardOrder(ZooNetwork network) =>
        network.named_modules().Where(m => m.module is Conv2d).Select(m => (m.name, (Conv2d)m.module)).ToList();
}
