using EdgeVision.Core.Model;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Onnx.Proto;
using static TorchSharp.torch;

namespace EdgeVision.Training.Transfer;

/// <summary>
/// A trained <see cref="TransferNetwork"/> as a contract model: the backbone's own graph with every initializer
/// the network read replaced, by name, with its trained value (BN running statistics included), then the new head
/// through <see cref="BackboneClassifierModel"/> — the same builder the daemon's teaching uses — so preprocessing,
/// opset and metadata are those of every model built on a pretrained backbone.
/// </summary>
public static class TransferExport
{
    public static ModelProto Build(PretrainedBackbone backbone, TransferNetwork network, ModelMetadata metadata)
    {
        var model = backbone.Graph.Clone();
        var initializers = model.Graph.Initializer;
        var index = Enumerable.Range(0, initializers.Count).ToDictionary(i => initializers[i].Name, StringComparer.Ordinal);
        using (var scope = NewDisposeScope())
        {
            foreach (var (name, value) in network.Backbone.InitializerValues())
            {
                if (!index.TryGetValue(name, out int i)) throw new InvalidOperationException($"the backbone graph has no initializer '{name}' to write back");
                var original = initializers[i];
                var trained = value.detach().cpu().contiguous();
                if (!trained.shape.SequenceEqual(original.Dims))
                    throw new InvalidOperationException($"initializer '{name}': trained shape [{string.Join(",", trained.shape)}] differs from the graph's [{string.Join(",", original.Dims)}]");
                initializers[i] = OnnxTensor.FromFloats(name, trained.data<float>().ToArray(), [.. original.Dims]);
            }
        }
        float[] weights, bias;
        using (var scope = NewDisposeScope())
        {
            weights = network.Head.weight!.detach().contiguous().data<float>().ToArray();
            bias = network.Head.bias!.detach().contiguous().data<float>().ToArray();
        }
        return BackboneClassifierModel.Build(backbone with { Graph = model }, weights, bias,
            metadata with { Frozen = metadata.Frozen ?? network.Frozen.ToString() });
    }
}
