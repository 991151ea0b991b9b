using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx.Tests.Support;

namespace EdgeVision.Onnx.Tests;

/// <summary>
/// The deployable graph (uint8 BGR in, preprocessing and BN folded) against the unfused reference fed
/// torchvision-style normalized float input: the folding must be exact, borders included.
/// </summary>
public sealed class FusedPreprocessingEquivalenceTests
{
    private const float Tolerance = 1e-5f;

    public static TheoryData<string, ColorMode> Families()
    {
        var data = new TheoryData<string, ColorMode>();
        string[] families =
        [
            "resnet18", "resnet20", "resnet20b", "plain20", "preact_resnet20", "preact_bottleneck",
            "resnext", "wrn_16_2", "se_resnet20", "imagenet_bottleneck",
        ];
        foreach (string f in families)
        {
            data.Add(f, ColorMode.Rgb);
            data.Add(f, ColorMode.Grey);
        }
        data.Add("resnet20", ColorMode.Bgr);
        return data;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Fused_model_matches_unfused_reference_on_batches_of_1_and_5(string family, ColorMode color)
    {
        var spec = TestModels.Spec(family, color == ColorMode.Grey ? 1 : 3);
        int size = TestModels.InputSize(spec);
        var metadata = TestModels.Metadata(spec, color, size, size);
        var weights = RandomWeights.Create(ResNetPlan.Build(spec), seed: 7);

        using var fused = new OrtRunner(ContractModelFactory.CreateResNet(spec, weights, metadata));
        using var reference = new OrtRunner(ContractModelFactory.CreateResNetReference(spec, weights, size, size));

        foreach (int batch in new[] { 1, 5 })
        {
            byte[] images = TestImages.Batch(batch, size, size, seed: batch);
            float[] normalized = TestImages.Normalize(images, batch, size, size, color, metadata.Mean, metadata.Std);
            long[] imageShape = [batch, size, size, 3];
            long[] inputShape = [batch, spec.InputChannels, size, size];

            float[] expected = reference.Run("input", normalized, inputShape, ModelContract.ProbabilitiesName);
            float[] actual = fused.Run(ModelContract.InputName, images, imageShape, ModelContract.ProbabilitiesName);
            Assert.Equal(batch * TestModels.Classes, actual.Length);
            Assert.True(TestImages.MaxAbsDiff(expected, actual) <= Tolerance,
                $"{family}/{color} batch {batch}: probabilities differ by {TestImages.MaxAbsDiff(expected, actual):E2}");

            // Logits too, relative to their size, so saturated softmax outputs cannot hide a folding error.
            float[] expectedLogits = reference.Run("input", normalized, inputShape, ModelContract.LogitsName);
            float[] actualLogits = fused.Run(ModelContract.InputName, images, imageShape, ModelContract.LogitsName);
            float scale = Math.Max(1f, expectedLogits.Max(Math.Abs));
            Assert.True(TestImages.MaxAbsDiff(expectedLogits, actualLogits) <= 1e-5f * scale,
                $"{family}/{color} batch {batch}: logits differ by {TestImages.MaxAbsDiff(expectedLogits, actualLogits):E2} (scale {scale})");
        }
    }
}
