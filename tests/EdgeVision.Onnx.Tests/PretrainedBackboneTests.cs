using EdgeVision.Core.Model;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Onnx.Tests.Support;

namespace EdgeVision.Onnx.Tests;

public sealed class PretrainedBackboneTests
{
    private static readonly Lazy<PretrainedBackbone> ImageNet = new(() => PretrainedBackbones.Load(PretrainedBackbones.ImageNet));

    [Fact]
    public void The_ImageNet_backbone_is_read_with_the_preprocessing_of_its_own_graph()
    {
        var backbone = ImageNet.Value;
        Assert.Equal(512, backbone.FeatureCount);
        Assert.Equal((224, 224), (backbone.InputHeight, backbone.InputWidth));
        var pre = backbone.Preprocessing;
        Assert.Equal(ColorMode.Bgr, pre.ChannelOrder);
        Assert.Equal(1f, pre.PixelScale);
        Assert.Equal(3 * 224 * 224, pre.Mean.Length);
        Assert.Equal([1f, 1f, 1f], pre.Std);
        var (mean, std) = pre.ToMetadataScale();
        // Channel averages of the mean image: B 103.06, G 115.90, R 123.15 on the 0–255 scale.
        Assert.Equal(103.06 / 255, mean[0], 3);
        Assert.Equal(115.90 / 255, mean[1], 3);
        Assert.Equal(123.15 / 255, mean[2], 3);
        Assert.All(std, s => Assert.Equal(1 / 255.0, s, 6));
        Assert.Equal(13, backbone.Graph.OpsetImport.Single(o => o.Domain == "").Version);
    }

    [Fact]
    public void A_model_built_on_the_ImageNet_backbone_matches_MLNET_preprocessing_and_backbone_run_separately()
    {
        var backbone = ImageNet.Value;
        const int classes = 3, batch = 4, size = 224;
        var random = new Random(7);
        float[] weights = [.. Enumerable.Range(0, classes * 512).Select(_ => (float)(random.NextDouble() - 0.5) * 0.05f)];
        float[] bias = [0.1f, -0.2f, 0.05f];
        var metadata = new ModelMetadata
        {
            Labels = ["cup", "key", "pen"], Architecture = "resnet18", InputWidth = 1, InputHeight = 1,
            Color = ColorMode.Rgb, Mean = [0, 0, 0], Std = [1, 1, 1],
        };
        var model = BackboneClassifierModel.Build(backbone, weights, bias, metadata);
        byte[] images = TestImages.Batch(batch, size, size, seed: 3);

        using var contract = new OrtRunner(model);
        float[] probabilities = contract.Run(ModelContract.InputName, images, [batch, size, size, 3], ModelContract.ProbabilitiesName);

        // Reference: ML.NET's two graphs as shipped, fed planar RGB 0–255 exactly as its pixel extractor would.
        using var prep = new OrtRunner(OnnxModelFile.Load(Path.Combine(PretrainedBackbones.ImageNetDirectory, ImageNetResNet18.PreprocessingFile)));
        using var net = new OrtRunner(OnnxModelFile.Load(Path.Combine(PretrainedBackbones.ImageNetDirectory, ImageNetResNet18.BackboneFile)));
        for (int n = 0; n < batch; n++)
        {
            var rgb = new float[3 * size * size];
            for (int i = 0; i < size * size; i++)
            {
                for (int c = 0; c < 3; c++) rgb[c * size * size + i] = images[(n * size * size + i) * 3 + (2 - c)];
            }
            float[] prepared = prep.Run("OriginalInput", rgb, [1, 3, size, size], "PreprocessedInput");
            float[] features = net.Run("Input247", prepared, [1, 3, size, size], "Pooling395_Output_0");
            double[] logits = new double[classes];
            for (int k = 0; k < classes; k++)
            {
                logits[k] = bias[k];
                for (int f = 0; f < 512; f++) logits[k] += weights[k * 512 + f] * features[f];
            }
            double max = logits.Max();
            double sum = logits.Sum(l => Math.Exp(l - max));
            for (int k = 0; k < classes; k++)
                Assert.True(Math.Abs(Math.Exp(logits[k] - max) / sum - probabilities[n * classes + k]) <= 1e-4,
                    $"image {n} class {k}: reference {Math.Exp(logits[k] - max) / sum}, contract model {probabilities[n * classes + k]}");
        }
        var props = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        var read = ModelMetadata.FromProperties(props, "built");
        Assert.Equal(ColorMode.Bgr, read.Color);
        Assert.Equal(224, read.InputWidth);
        Assert.Equal(ImageNetResNet18.Name, read.Pretrained);
    }

    [Fact]
    public void A_backbone_name_that_is_neither_imagenet_nor_an_onnx_file_is_refused_by_name()
    {
        var e = Assert.Throws<ModelContractException>(() => PretrainedBackbones.Load("resnet-imagenet"));
        Assert.Contains("'resnet-imagenet'", e.Message);
        Assert.Contains("imagenet", e.Message);
        var missing = Assert.Throws<ModelContractException>(() => PretrainedBackbones.Load("/nonexistent/backbone.onnx"));
        Assert.Contains("not found", missing.Message);
    }

    [Fact]
    public void A_missing_package_copy_names_the_path_and_the_package()
    {
        var e = Assert.Throws<ModelContractException>(() => ImageNetResNet18.Load(Path.Combine(Path.GetTempPath(), "no-such-backbone-dir")));
        Assert.Contains(ImageNetResNet18.PackageId, e.Message);
        Assert.Contains("no-such-backbone-dir", e.Message);
    }
}
