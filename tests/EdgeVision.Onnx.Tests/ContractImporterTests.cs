using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Import;
using EdgeVision.Onnx.Proto;
using EdgeVision.Onnx.Tests.Support;
using DataType = EdgeVision.Onnx.Proto.TensorProto.Types.DataType;

namespace EdgeVision.Onnx.Tests;

public sealed class ContractImporterTests
{
    private const int Size = 32;
    private static readonly string[] Labels = Enumerable.Range(0, TestModels.Classes).Select(i => $"label {i}").ToArray();

    private static ImportOptions Options(IReadOnlyList<string>? labels = null) => new()
    {
        Labels = labels ?? Labels,
        Mean = TestModels.ImageNetMean,
        Std = TestModels.ImageNetStd,
        Architecture = "resnet20",
        Dataset = "synthetic",
    };

    /// <summary>A torchvision-style export: float "input" [1, 3, 32, 32] normalized RGB, "output" logits [1, 10].</summary>
    private static ModelProto TorchvisionStyleResNet(bool fixedBatch)
    {
        var spec = TestModels.Spec("resnet20", 3);
        var model = ContractModelFactory.CreateResNetReference(spec, RandomWeights.Create(ResNetPlan.Build(spec), 9), Size, Size, ReferenceHead.Logits);
        if (fixedBatch)
        {
            model.Graph.Input[0].Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimValue = 1 };
            model.Graph.Output[0].Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimValue = 1 };
        }
        return model;
    }

    /// <summary>
    /// A hand-built float classifier whose input feeds two ops (so nothing can be folded) and whose head
    /// flattens with a batch-1 Reshape [1, -1], as traced exports do: x → (Conv + x·2 channel sums) → Reshape → Gemm.
    /// </summary>
    private static ModelProto TracedBatchOneModel()
    {
        var random = new Random(4);
        float[] Randoms(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var g = new GraphBuilder("traced");
        g.AddInput("x", DataType.Float, 1, 3, 8, 8);
        string w = g.AddInitializer("conv.weight", Randoms(4 * 3 * 9), 4, 3, 3, 3);
        string conv = g.AddNode("Conv", ["x", w], "conv", OnnxAttributes.Ints("pads", 1, 1, 1, 1));
        string two = g.AddInitializer("two", [2f], 1);
        string doubled = g.AddNode("Mul", ["x", two], "doubled");
        string pooled = g.AddNode("ReduceMean", [doubled], "pooled", OnnxAttributes.Ints("axes", 1), OnnxAttributes.Int("keepdims", 1));
        string sum = g.AddNode("Add", [conv, pooled], "sum");
        string shape = g.AddInitializer("flat_shape", [1L, -1L], 2);
        string flat = g.AddNode("Reshape", [sum, shape], "flat");
        string fcw = g.AddInitializer("fc.weight", Randoms(5 * 4 * 64), 5, 4 * 64);
        g.AddNodeWithOutputs("Gemm", [flat, fcw], ["scores"], OnnxAttributes.Int("transB", 1));
        g.AddOutput("scores", DataType.Float, 1, 5);
        return g.ToModel();
    }

    private static void AssertImportedMatchesOriginal(ModelProto original, ModelProto imported, string originalInput, string originalOutput, int size, int classes, bool compareLogits)
    {
        using var before = new OrtRunner(original);
        using var after = new OrtRunner(imported);
        foreach (int batch in new[] { 1, 5 })
        {
            byte[] images = TestImages.Batch(batch, size, size, seed: 20 + batch);
            float[] normalized = TestImages.Normalize(images, batch, size, size, ColorMode.Rgb, TestModels.ImageNetMean, TestModels.ImageNetStd);
            // The original has batch 1 fixed or dynamic: feed it one image at a time.
            int perImage = 3 * size * size;
            var expected = new List<float>();
            for (int n = 0; n < batch; n++)
                expected.AddRange(before.Run(originalInput, normalized.AsSpan(n * perImage, perImage).ToArray(), [1, 3, size, size], originalOutput));
            string outputName = compareLogits ? ModelContract.LogitsName : ModelContract.ProbabilitiesName;
            float[] actual = after.Run(ModelContract.InputName, images, [batch, size, size, 3], outputName);
            Assert.Equal(batch * classes, actual.Length);
            float diff = TestImages.MaxAbsDiff(expected.ToArray(), actual);
            Assert.True(diff <= 1e-5f * Math.Max(1f, expected.Max(Math.Abs)), $"batch {batch}: imported {outputName} differ from the original by {diff:E2}");
        }
    }

    [Fact]
    public void Imported_resnet_equals_the_original_fed_normalized_rgb_and_its_preprocessing_folds_into_the_stem()
    {
        var original = TorchvisionStyleResNet(fixedBatch: true);
        var result = ContractImporter.Import(original, Options());

        Assert.True(result.PreprocessingFoldedIntoConv);
        Assert.True(result.SoftmaxAppended);
        Assert.Equal(TestModels.Classes, result.ClassCount);
        AssertImportedMatchesOriginal(original, result.Model, "input", ModelContract.LogitsName, Size, TestModels.Classes, compareLogits: true);
    }

    [Fact]
    public void Imported_probabilities_are_the_softmax_of_the_original_logits()
    {
        var spec = TestModels.Spec("resnet20", 3);
        var weights = RandomWeights.Create(ResNetPlan.Build(spec), 9);
        var withSoftmax = ContractModelFactory.CreateResNetReference(spec, weights, Size, Size);
        withSoftmax.Graph.Output.RemoveAt(1); // a zoo model ending in Softmax, with only that one output
        var result = ContractImporter.Import(withSoftmax, Options());

        Assert.False(result.SoftmaxAppended);
        Assert.Equal([ModelContract.ProbabilitiesName, ModelContract.LogitsName], result.Model.Graph.Output.Select(o => o.Name));
        AssertImportedMatchesOriginal(withSoftmax, result.Model, "input", ModelContract.ProbabilitiesName, Size, TestModels.Classes, compareLogits: false);
    }

    [Fact]
    public void Fixed_batch_one_model_with_a_traced_reshape_becomes_dynamic_and_stays_exact()
    {
        var original = TracedBatchOneModel();
        var result = ContractImporter.Import(original, Options(["a", "b", "c", "d", "e"]));

        Assert.False(result.PreprocessingFoldedIntoConv);
        Assert.Equal(1, result.ReshapesRewritten);
        var input = Assert.Single(result.Model.Graph.Input);
        Assert.Equal(ModelContract.InputName, input.Name);
        Assert.Equal((int)DataType.Uint8, input.Type.TensorType.ElemType);
        Assert.Equal(ModelContract.BatchDimension, input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.All(result.Model.Graph.Output, o => Assert.Equal(ModelContract.BatchDimension, o.Type.TensorType.Shape.Dim[0].DimParam));
        AssertImportedMatchesOriginal(original, result.Model, "x", "scores", 8, 5, compareLogits: true);
    }

    [Fact]
    public void Imported_model_carries_labels_and_preprocessing_metadata()
    {
        var result = ContractImporter.Import(TorchvisionStyleResNet(fixedBatch: false), Options() with { Resize = ResizePolicy.CenterCrop });
        var props = result.Model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        var metadata = ModelMetadata.FromProperties(props, "imported");
        Assert.Equal(Labels, metadata.Labels);
        Assert.Equal(ColorMode.Rgb, metadata.Color);
        Assert.Equal(Size, metadata.InputWidth);
        Assert.Equal(Size, metadata.InputHeight);
        Assert.Equal(TestModels.ImageNetMean, metadata.Mean);
        Assert.Equal(ResizePolicy.CenterCrop, metadata.Resize);
        Assert.Equal("resnet20", metadata.Architecture);
    }

    [Fact]
    public void Label_count_that_differs_from_the_class_count_is_a_clear_error()
    {
        var e = Assert.Throws<ModelContractException>(() => ContractImporter.Import(TorchvisionStyleResNet(true), Options(["a", "b", "c"]), "zoo.onnx"));
        Assert.Contains("zoo.onnx", e.Message);
        Assert.Contains("10 classes", e.Message);
        Assert.Contains("3 labels", e.Message);
    }

    [Fact]
    public void Model_with_uint8_input_is_rejected_naming_the_input_and_its_type()
    {
        var g = new GraphBuilder("u8");
        g.AddInput("pixels", DataType.Uint8, 1, 3, 8, 8);
        g.AddNodeWithOutputs("Cast", ["pixels"], ["y"], OnnxAttributes.Int("to", (long)DataType.Float));
        g.AddOutput("y", DataType.Float, 1, 3, 8, 8);
        var e = Assert.Throws<ModelContractException>(() => ContractImporter.Import(g.ToModel(), Options(), "u8.onnx"));
        Assert.Contains("'pixels'", e.Message);
        Assert.Contains("uint8 [1, 3, 8, 8]", e.Message);
    }

    [Theory]
    [InlineData(1, 8, 8, 3, "3 channels")]
    [InlineData(4, 3, 8, 8, "fixed batch of 4")]
    public void Model_whose_input_is_not_float_batch_3_h_w_is_rejected(int n, int c, int h, int w, string expected)
    {
        var g = new GraphBuilder("bad");
        g.AddInput("x", DataType.Float, n, c, h, w);
        g.AddNodeWithOutputs("Relu", ["x"], ["y"]);
        g.AddOutput("y", DataType.Float, n, c);
        var e = Assert.Throws<ModelContractException>(() => ContractImporter.Import(g.ToModel(), Options()));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Requested_size_that_contradicts_a_fixed_input_size_is_rejected()
    {
        var e = Assert.Throws<ModelContractException>(() => ContractImporter.Import(TorchvisionStyleResNet(true), Options() with { Width = 224, Height = 224 }));
        Assert.Contains("224", e.Message);
    }
}
