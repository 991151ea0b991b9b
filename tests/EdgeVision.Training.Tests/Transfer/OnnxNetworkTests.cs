using EdgeVision.Core.Architecture;
using EdgeVision.Onnx;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Onnx.Proto;
using EdgeVision.Training.Transfer;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Tests.Transfer;

/// <summary>
/// An ONNX backbone turned into TorchSharp modules computes what ONNX Runtime computes on the original graph:
/// the NuGet ImageNet ResNet-18 (CNTK graph: asymmetric pads, fixed 7×7 average pool) and a float ResNet-18
/// classifier from our own writer with its head cut, fed the same preprocessed images.
/// </summary>
public sealed class OnnxNetworkTests
{
    internal static readonly Lazy<PretrainedBackbone> ImageNet = new(() => PretrainedBackbones.Load(PretrainedBackbones.ImageNet));

    [Fact]
    public void The_ImageNet_ResNet18_mapped_to_TorchSharp_gives_ORTs_features_on_the_same_images()
    {
        var backbone = ImageNet.Value;
        const int n = 4, size = 224;
        byte[] images = TransferImages.Batch(n, size, seed: 11);
        using var input = new BackboneInput(backbone.Preprocessing, size, size);
        float[] x;
        using (var scope = NewDisposeScope())
            x = input.ToNetwork(torch.tensor(images, [n, size, size, 3], dtype: ScalarType.Byte)).data<float>().ToArray();

        using var network = new OnnxNetwork(backbone.Graph, backbone.FeatureName);
        Assert.Equal(22, network.ParameterisedNodes.Keys.Count(k => network.ParameterisedNodes[k] is var m && m.GetType().Name == "OnnxConv"));
        Assert.Equal(4, network.LayerCount);
        float[] features = Features(network, x, [n, 3, size, size]);
        using var ort = new OrtGraph(backbone.Graph);
        float[] expected = ort.Run(backbone.InputName, x, [n, 3, size, size], backbone.FeatureName);

        Assert.Equal(n * 512, features.Length);
        Assert.True(expected.Max() > 1f, "the features should not be degenerate");
        Assert.True(MaxAbsDiff(expected, features) <= 1e-4, $"max |ORT − TorchSharp| = {MaxAbsDiff(expected, features)}");
    }

    [Fact]
    public void A_float_ResNet_from_our_writer_with_its_head_cut_maps_to_ORTs_features()
    {
        var spec = ResNetZoo.Create("resnet18", 3, 10);
        var reference = ContractModelFactory.CreateResNetReference(spec, RandomWeights.Create(ResNetPlan.Build(spec), seed: 3), 64, 64, ReferenceHead.Logits);
        string path = Path.Combine(Path.GetTempPath(), $"ev-writer-resnet18-{Guid.NewGuid():N}.onnx");
        OnnxModelFile.Save(reference, path);
        try
        {
            var backbone = PretrainedBackbones.Load(path);
            Assert.Equal(512, backbone.FeatureCount);
            const int n = 3;
            var random = new Random(5);
            float[] x = [.. Enumerable.Range(0, n * 3 * 64 * 64).Select(_ => (float)(random.NextDouble() * 4 - 2))];
            using var network = new OnnxNetwork(backbone.Graph, backbone.FeatureName);
            Assert.Equal(4, network.LayerCount);
            float[] features = Features(network, x, [n, 3, 64, 64]);
            using var ort = new OrtGraph(backbone.Graph);
            float[] expected = ort.Run(backbone.InputName, x, [n, 3, 64, 64], backbone.FeatureName);
            Assert.True(MaxAbsDiff(expected, features) <= 1e-4, $"max |ORT − TorchSharp| = {MaxAbsDiff(expected, features)}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_ImageNet_backbone_splits_into_a_stem_and_four_layers_by_its_strides()
    {
        using var network = new OnnxNetwork(ImageNet.Value.Graph, ImageNet.Value.FeatureName);
        var convsPerStage = network.Stages.Where(s => network.ParameterisedNodes[s.Key].GetType().Name == "OnnxConv")
            .GroupBy(s => s.Value).OrderBy(g => g.Key).Select(g => g.Count()).ToArray();
        // Not torchvision's layout: this CNTK "ResNet-18" has 22 convolutions, blocks [2, 2, 2, 3] — stem conv;
        // layer1 2 blocks × 2; layers 2 and 3 2 blocks × 2 + a 1×1 projection; layer4 3 blocks × 2 + a projection.
        Assert.Equal([1, 4, 5, 5, 7], convsPerStage);
    }

    [Fact]
    public void A_graph_with_an_op_outside_the_ResNet_set_is_refused_naming_the_first_such_node()
    {
        var model = ImageNet.Value.Graph.Clone();
        var graph = model.Graph;
        int relu = graph.Node.ToList().FindIndex(n => n.OpType == "Relu");
        var first = graph.Node[relu];
        first.OpType = "Sigmoid";
        first.Name = "the_odd_one";
        graph.Node[relu + 3].OpType = "Tanh";
        var e = Assert.Throws<OnnxMappingException>(() => new OnnxNetwork(model, ImageNet.Value.FeatureName));
        Assert.Contains("'the_odd_one' (Sigmoid)", e.Message);
        Assert.DoesNotContain("Tanh", e.Message);
    }

    [Fact]
    public void Trained_values_go_back_under_the_initializer_names_they_came_from()
    {
        var backbone = ImageNet.Value;
        using var network = new OnnxNetwork(backbone.Graph, backbone.FeatureName);
        var values = network.InitializerValues().ToList();
        var initializers = backbone.Graph.Graph.Initializer.ToDictionary(t => t.Name);
        var parameterInputs = backbone.Graph.Graph.Node.Where(n => n.OpType is "Conv" or "BatchNormalization")
            .SelectMany(n => n.Input.Skip(1)).Where(initializers.ContainsKey).Order(StringComparer.Ordinal).ToArray();
        Assert.True(parameterInputs.Length >= 22 + 22 * 4);
        Assert.Equal(parameterInputs, values.Select(v => v.Initializer).Order(StringComparer.Ordinal).ToArray());
        foreach (var (name, value) in values)
        {
            var original = initializers[name];
            Assert.Equal(original.Dims.ToArray(), value.shape);
            Assert.Equal(OnnxTensor.ToFloats(original), value.data<float>().ToArray());
        }
    }

    internal static float[] Features(OnnxNetwork network, float[] x, long[] shape)
    {
        network.eval();
        using var noGrad = torch.no_grad();
        using var scope = NewDisposeScope();
        return network.forward(torch.tensor(x, shape)).data<float>().ToArray();
    }

    internal static float MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        float max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
