using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Proto;
using EdgeVision.Onnx.Tests.Support;
using DataType = EdgeVision.Onnx.Proto.TensorProto.Types.DataType;

namespace EdgeVision.Onnx.Tests;

public sealed class ContractModelStructureTests
{
    private static (ResNetSpec Spec, IWeightSource Weights, ModelMetadata Metadata) Resnet20(ColorMode color = ColorMode.Rgb)
    {
        var spec = TestModels.Spec("resnet20", color == ColorMode.Grey ? 1 : 3);
        return (spec, RandomWeights.Create(ResNetPlan.Build(spec), seed: 3), TestModels.Metadata(spec, color, 32, 32) with { Top1 = 0.91 });
    }

    [Fact]
    public void Contract_model_declares_uint8_nhwc_input_and_float_outputs_with_symbolic_batch()
    {
        var (spec, weights, metadata) = Resnet20();
        var model = ContractModelFactory.CreateResNet(spec, weights, metadata);

        Assert.Equal(GraphBuilder.IrVersion, model.IrVersion);
        Assert.Contains(model.OpsetImport, o => o.Domain == "" && o.Version == GraphBuilder.DefaultOpset);
        var input = Assert.Single(model.Graph.Input);
        Assert.Equal(ModelContract.InputName, input.Name);
        Assert.Equal((int)DataType.Uint8, input.Type.TensorType.ElemType);
        Assert.Equal(["N", "32", "32", "3"], Dims(input));
        Assert.Equal([ModelContract.ProbabilitiesName, ModelContract.LogitsName], model.Graph.Output.Select(o => o.Name));
        foreach (var output in model.Graph.Output)
        {
            Assert.Equal((int)DataType.Float, output.Type.TensorType.ElemType);
            Assert.Equal(["N", "10"], Dims(output));
        }
    }

    [Fact]
    public void Contract_model_metadata_round_trips_through_a_saved_file()
    {
        var (spec, weights, metadata) = Resnet20(ColorMode.Grey);
        string path = Path.Combine(Path.GetTempPath(), $"ev-meta-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxModelFile.Save(ContractModelFactory.CreateResNet(spec, weights, metadata), path);
            var loaded = OnnxModelFile.Load(path);
            var props = loaded.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            var read = ModelMetadata.FromProperties(props, path);

            Assert.Equal(metadata.Labels, read.Labels);
            Assert.Equal("resnet20", read.Architecture);
            Assert.Equal(ColorMode.Grey, read.Color);
            Assert.Equal(metadata.Mean, read.Mean);
            Assert.Equal(metadata.Std, read.Std);
            Assert.Equal(0.91, read.Top1);
            Assert.Equal("1", props[MetadataKeys.ContractVersion]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void One_session_runs_batches_of_1_and_5_and_each_image_gets_the_same_answer_either_way()
    {
        var (spec, weights, metadata) = Resnet20();
        using var runner = new OrtRunner(ContractModelFactory.CreateResNet(spec, weights, metadata));
        byte[] batch = TestImages.Batch(5, 32, 32, seed: 11);
        float[] all = runner.Run(ModelContract.InputName, batch, [5, 32, 32, 3], ModelContract.ProbabilitiesName);
        Assert.Equal(5 * TestModels.Classes, all.Length);

        int perImage = 32 * 32 * 3;
        for (int n = 0; n < 5; n++)
        {
            float[] one = runner.Run(ModelContract.InputName, batch.AsSpan(n * perImage, perImage).ToArray(), [1, 32, 32, 3], ModelContract.ProbabilitiesName);
            Assert.Equal(TestModels.Classes, one.Length);
            Assert.True(TestImages.MaxAbsDiff(one, all.AsSpan(n * TestModels.Classes, TestModels.Classes)) <= 1e-6f, $"image {n} differs between batch 1 and batch 5");
            Assert.Equal(1.0, one.Sum(), 5);
        }
    }

    [Theory]
    [InlineData("resnet20")]
    [InlineData("resnet18")]
    [InlineData("preact_resnet20")]
    [InlineData("resnext")]
    public void Fused_graph_has_no_batch_normalization_while_the_reference_keeps_one_per_norm(string family)
    {
        var spec = TestModels.Spec(family, 3);
        var plan = ResNetPlan.Build(spec);
        var weights = RandomWeights.Create(plan, seed: 1);
        int size = TestModels.InputSize(spec);

        var fused = ContractModelFactory.CreateResNet(spec, weights, TestModels.Metadata(spec, ColorMode.Rgb, size, size));
        var reference = ContractModelFactory.CreateResNetReference(spec, weights, size, size);

        Assert.DoesNotContain(fused.Graph.Node, n => n.OpType == "BatchNormalization");
        Assert.Equal(plan.Norms().Count(), reference.Graph.Node.Count(n => n.OpType == "BatchNormalization"));
        // Every convolution after which a BN followed carries the folded bias.
        int convsWithBias = fused.Graph.Node.Count(n => n.OpType == "Conv" && n.Input.Count == 3 && !n.Input[1].Contains(".se.", StringComparison.Ordinal));
        int foldable = spec.PreActivation
            ? plan.Blocks.Sum(b => b.Convs.Count - 1)
            : plan.Norms().Count();
        Assert.Equal(foldable, convsWithBias);
    }

    [Fact]
    public void Post_activation_fused_graph_preprocesses_with_transpose_cast_sub_and_no_division()
    {
        var (spec, weights, metadata) = Resnet20();
        var model = ContractModelFactory.CreateResNet(spec, weights, metadata);
        Assert.Equal(["Transpose", "Cast", "Sub", "Conv"], model.Graph.Node.Take(4).Select(n => n.OpType));
        // The mean is per plane of the NCHW image (ONNX Runtime vectorizes that broadcast; a per-pixel [3] it does not).
        Assert.Equal([1L, 3, 1, 1], model.Graph.Initializer.Single(t => t.Name == "preprocess.pixel_mean").Dims);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType is "Div" or "Mul" or "BatchNormalization");
        var stem = model.Graph.Initializer.Single(t => t.Name == "conv1.weight");
        Assert.Equal([16L, 3, 3, 3], stem.Dims);
    }

    [Fact]
    public void Option_a_shortcuts_are_fixed_one_by_one_convolutions_that_subsample_and_zero_pad()
    {
        var (spec, weights, metadata) = Resnet20();
        var graph = ContractModelFactory.CreateResNet(spec, weights, metadata).Graph;
        Assert.DoesNotContain(graph.Node, n => n.OpType is "Slice" or "Pad");
        var shortcut = graph.Node.Single(n => n.Output[0] == "layer2.0.shortcut.pad");
        Assert.Equal("Conv", shortcut.OpType);
        Assert.Equal([2L, 2], shortcut.Attribute.Single(a => a.Name == "strides").Ints);
        var select = graph.Initializer.Single(t => t.Name == shortcut.Input[1]);
        Assert.Equal([32L, 16, 1, 1], select.Dims);
        float[] w = OnnxTensor.ToFloats(select);
        // Input channel i lands on output channel i + 8; the 8 channels before and after are zero.
        for (int o = 0; o < 32; o++)
            for (int i = 0; i < 16; i++)
                Assert.Equal(o == i + 8 ? 1f : 0f, w[o * 16 + i]);
    }

    [Fact]
    public void Grey_model_stem_takes_three_bgr_channels()
    {
        var (spec, weights, metadata) = Resnet20(ColorMode.Grey);
        var model = ContractModelFactory.CreateResNet(spec, weights, metadata);
        var stem = model.Graph.Initializer.Single(t => t.Name == "conv1.weight");
        Assert.Equal([16L, 3, 3, 3], stem.Dims);
        var mean = OnnxTensor.ToFloats(model.Graph.Initializer.Single(t => t.Name == "preprocess.pixel_mean"));
        Assert.All(mean, m => Assert.Equal(255f * 0.45f, m, 3));
    }

    [Fact]
    public void Label_count_that_differs_from_the_class_count_is_rejected_with_both_numbers()
    {
        var (spec, weights, metadata) = Resnet20();
        var e = Assert.Throws<ArgumentException>(() =>
            ContractModelFactory.CreateResNet(spec, weights, metadata with { Labels = ["a", "b", "c"] }));
        Assert.Contains("10 classes", e.Message);
        Assert.Contains("3 labels", e.Message);
    }

    [Fact]
    public void Colour_network_with_grey_metadata_is_rejected()
    {
        var (spec, weights, _) = Resnet20();
        var grey = TestModels.Metadata(spec, ColorMode.Grey, 32, 32);
        var e = Assert.Throws<ArgumentException>(() => ContractModelFactory.CreateResNet(spec, weights, grey));
        Assert.Contains("Grey", e.Message);
    }

    [Fact]
    public void Weight_with_the_wrong_shape_is_rejected_naming_the_tensor()
    {
        var (spec, weights, metadata) = Resnet20();
        var broken = new OverrideWeights(weights, "layer2.0.conv1.weight", new TensorData(new float[32 * 16 * 9], 32, 16, 9, 1));
        var e = Assert.Throws<ArgumentException>(() => ContractModelFactory.CreateResNet(spec, broken, metadata));
        Assert.Contains("layer2.0.conv1.weight", e.Message);
        Assert.Contains("[32, 16, 3, 3]", e.Message);
    }

    [Fact]
    public void Missing_running_statistics_are_reported_by_name()
    {
        var (spec, weights, metadata) = Resnet20();
        var broken = new OverrideWeights(weights, "layer3.2.bn2.running_var", null);
        var e = Assert.Throws<KeyNotFoundException>(() => ContractModelFactory.CreateResNet(spec, broken, metadata));
        Assert.Contains("layer3.2.bn2.running_var", e.Message);
    }

    private static string[] Dims(ValueInfoProto v) =>
        v.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private sealed class OverrideWeights(IWeightSource inner, string name, TensorData? replacement) : IWeightSource
    {
        public TensorData Get(string n) => n != name
            ? inner.Get(n)
            : replacement ?? throw new KeyNotFoundException($"weight '{n}' is missing");
    }
}
