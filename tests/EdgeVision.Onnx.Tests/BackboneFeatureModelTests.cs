using EdgeVision.Core.Model;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Onnx.Tests.Support;

namespace EdgeVision.Onnx.Tests;

public sealed class BackboneFeatureModelTests
{
    [Fact]
    public void The_features_a_head_is_taught_on_are_the_features_the_classifier_built_from_it_computes()
    {
        var backbone = PretrainedBackbones.Load(PretrainedBackbones.ImageNet);
        const int classes = 2, batch = 3, size = 224, d = 512;
        var random = new Random(5);
        float[] weights = [.. Enumerable.Range(0, classes * d).Select(_ => (float)(random.NextDouble() - 0.5) * 0.02f)];
        float[] bias = [0.3f, -0.1f];
        var metadata = new ModelMetadata
        {
            Labels = ["a", "b"], Architecture = "t", InputWidth = 1, InputHeight = 1, Color = ColorMode.Rgb, Mean = [0, 0, 0], Std = [1, 1, 1],
        };
        byte[] images = TestImages.Batch(batch, size, size, seed: 9);

        var featureModel = BackboneFeatureModel.Build(backbone);
        Assert.Equal(ModelContract.InputName, featureModel.Graph.Input.Single().Name);
        Assert.Equal(BackboneFeatureModel.FeaturesName, featureModel.Graph.Output.Single().Name);
        using var extractor = new OrtRunner(featureModel);
        float[] features = extractor.Run(ModelContract.InputName, images, [batch, size, size, 3], BackboneFeatureModel.FeaturesName);
        Assert.Equal(batch * d, features.Length);

        using var classifier = new OrtRunner(BackboneClassifierModel.Build(backbone, weights, bias, metadata));
        float[] logits = classifier.Run(ModelContract.InputName, images, [batch, size, size, 3], ModelContract.LogitsName);
        for (int n = 0; n < batch; n++)
        {
            for (int k = 0; k < classes; k++)
            {
                double expected = bias[k];
                for (int j = 0; j < d; j++) expected += weights[k * d + j] * features[n * d + j];
                Assert.True(Math.Abs(expected - logits[n * classes + k]) <= 1e-3 * Math.Max(1, Math.Abs(expected)),
                    $"image {n} class {k}: head on the extracted features {expected}, classifier {logits[n * classes + k]}");
            }
        }
    }
}
