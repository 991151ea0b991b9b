using EdgeVision.Data;
using EdgeVision.Core.Model;
using EdgeVision.Onnx;
using EdgeVision.Inference;
using EdgeVision.Quantization;

namespace EdgeVision.Quantization.Tests;

/// <summary>The daemon's loader runs the variants: they are contract models like any other.</summary>
public sealed class DaemonClassifierTests(QuantizedModelFixture f) : IClassFixture<QuantizedModelFixture>
{
    [Theory]
    [InlineData("int8")]
    [InlineData("fp16")]
    public void The_daemons_classifier_loads_the_variant_and_predicts_like_the_evaluator(string variant)
    {
        var model = variant == "int8" ? f.Int8(CalibrationMethod.MinMax) : HalfPrecision.Convert(f.Float);
        string path = Path.Combine(Path.GetTempPath(), $"tiny-{variant}-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxModelFile.Save(model, path);
            var contract = ContractModel.Load(path);
            var expected = ModelEvaluator.Evaluate(File.ReadAllBytes(path), contract.Source, f.Test, 8);

            using var classifier = Classifier.Load(path, new InferenceOptions { Providers = ["CPU"], MaxBatch = 8 });
            Assert.Equal(variant == "int8" ? Precision.Int8 : Precision.Fp16, classifier.Metadata.Precision);
            for (int i = 0; i < 8; i++)
            {
                using var frame = f.Test.Read(i);
                classifier.SetFrame(i, frame);
            }
            var probabilities = classifier.Run(8);
            for (int i = 0; i < 8; i++)
            {
                var row = probabilities.Slice(i * classifier.ClassCount, classifier.ClassCount);
                int best = 0;
                for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
                Assert.Equal(expected.Predictions[i], best);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
