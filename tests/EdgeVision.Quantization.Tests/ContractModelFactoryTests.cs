using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Data;
using EdgeVision.Onnx;
using EdgeVision.Onnx.Proto;
using EdgeVision.Quantization;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Quantization.Tests;

/// <summary>The quantizer on the graphs the project's own emitter writes (fused preprocessing, folded BN, option-A shortcuts).</summary>
public sealed class ContractModelFactoryTests
{
    [Theory]
    [InlineData("resnet20")]
    [InlineData("resnet20b")]
    public void AnEmittedResNetQuantizesIntoFusedIntegerKernelsAndStaysClose(string architecture)
    {
        var (spec, proto) = FashionMnistResNet(architecture);
        var model = ContractModel.From(proto, architecture + ".onnx");
        var settings = new QuantizationSettings { Method = CalibrationMethod.MinMax, CalibrationSize = 64 };
        var int8 = CalibratedModel.Calibrate(model, FashionMnist.Split("train"), settings).ToInt8(settings);

        string path = Path.Combine(Path.GetTempPath(), $"{architecture}-fused-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = path })
            using (new InferenceSession(int8.ToByteArray(), options)) { }
            var optimized = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph;
            var ops = optimized.Node.Select(n => n.OpType).ToList();
            // Stem, branch convolutions, projection shortcuts and option-A shortcuts (fixed 1×1 convolutions).
            var blocks = ResNetPlan.Build(spec).Blocks;
            int convolutions = 1 + blocks.Sum(b => b.Convs.Count + (b.ProjectionConv is null ? 0 : 1) + (b.Shortcut == ShortcutPlan.SubsampleZeroPad ? 1 : 0));
            Assert.Equal(convolutions, ops.Count(o => o == "QLinearConv"));
            Assert.DoesNotContain("Conv", ops);
            // Grey input, one mean: the uint8 pixels are the quantized image, no float work before the first integer kernel.
            Assert.DoesNotContain("Cast", ops);
            Assert.DoesNotContain("Sub", ops);
            Assert.DoesNotContain("QuantizeLinear", ops);
        }
        finally
        {
            File.Delete(path);
        }

        // Random weights make top-1 meaningless; the probabilities must still follow fp32 closely.
        var test = FashionMnist.Split("test");
        var p32 = ModelEvaluator.Evaluate(proto.ToByteArray(), model.Source, test, 64);
        var p8 = ModelEvaluator.Evaluate(int8.ToByteArray(), ContractModel.From(int8, "int8").Source, test, 64);
        Assert.True(ModelEvaluator.Agreement(p32.Predictions, p8.Predictions) >= 0.8,
            $"{architecture}: int8 agrees with fp32 on {ModelEvaluator.Agreement(p32.Predictions, p8.Predictions):P0}");
    }

    [Fact]
    public void EntropyCalibrationNeverClipsTheImageItself()
    {
        var (_, proto) = FashionMnistResNet("resnet20");
        var settings = new QuantizationSettings { Method = CalibrationMethod.Entropy, CalibrationSize = 64 };
        var calibrated = CalibratedModel.Calibrate(ContractModel.From(proto, "resnet20.onnx"), FashionMnist.Split("train"), settings);
        string image = calibrated.Plan.ImageTensor;
        var stats = calibrated.Statistics[image];
        // The hazard is real on this data: the mean-subtracted image of a Fashion-MNIST item is mostly dark
        // background, one spike in the |x| histogram, and KL alone puts the threshold just past it.
        var klOnly = ActivationRange.From(stats, CalibrationMethod.Entropy);
        Assert.True(klOnly.Max < 0.9f * stats.Max, $"KL threshold {klOnly.Max} vs brightest {stats.Max}: the data no longer shows the hazard");

        var initializers = calibrated.ToInt8(settings).Graph.Initializer.ToDictionary(t => t.Name);
        float scale = OnnxTensors.ReadFloats(initializers[image + "_scale"])[0];
        var written = new QuantizationParameters(scale, initializers[image + "_zero_point"].RawData[0], 0, 255);
        Assert.True(written.RangeMin <= stats.Min + scale / 2 && written.RangeMax >= stats.Max - scale / 2,
            $"image quantized over [{written.RangeMin}, {written.RangeMax}], calibration saw [{stats.Min}, {stats.Max}]");
    }

    private static (ResNetSpec Spec, ModelProto Model) FashionMnistResNet(string architecture)
    {
        var spec = ResNetZoo.Create(architecture, inputChannels: 1, numClasses: 10);
        var metadata = new EdgeVision.Core.Model.ModelMetadata
        {
            Labels = FashionMnist.Classes, Architecture = architecture, InputWidth = 28, InputHeight = 28,
            Color = ColorMode.Grey, Mean = [0.286f], Std = [0.353f], Dataset = "fashion-mnist",
        };
        return (spec, ContractModelFactory.CreateResNet(spec, RandomWeights.Create(ResNetPlan.Build(spec), 3), metadata));
    }
}
