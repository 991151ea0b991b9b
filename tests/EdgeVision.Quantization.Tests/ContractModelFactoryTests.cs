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
    public void An_emitted_ResNet_quantizes_into_fused_integer_kernels_and_stays_close(string architecture)
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
    public void Entropy_calibration_never_clips_the_image_itself()
    {
        // ImageNet means differ per channel, so the image stays a calibrated float tensor (no direct uint8 path).
        var (_, proto) = FashionMnistResNet("resnet20", ColorMode.Rgb);
        var settings = new QuantizationSettings { Method = CalibrationMethod.Entropy, CalibrationSize = 64 };
        var calibrated = CalibratedModel.Calibrate(ContractModel.From(proto, "resnet20.onnx"), FashionMnist.Split("train"), settings);
        Assert.Null(calibrated.Plan.DirectImage);
        string image = calibrated.Plan.ImageTensor;
        var stats = calibrated.Statistics[image];
        // The hazard is real on this data: a Fashion-MNIST item is mostly dark background, which is a few spikes in
        // the |x| histogram of x − mean, and KL alone puts the threshold just past them.
        double klOnly = EntropyThreshold.Search(stats.NonZeroHistogram()) * stats.BinWidth;
        Assert.True(klOnly < 0.9 * stats.Max, $"KL threshold {klOnly} vs brightest {stats.Max}: the data no longer shows the hazard");

        // The image is always calibrated over its whole range (the entropy floor alone would allow clipping 0.1 %).
        Assert.Equal(CalibrationMethod.MinMax, calibrated.MethodFor(image, CalibrationMethod.Entropy));
        Assert.Equal(CalibrationMethod.Entropy, calibrated.MethodFor(calibrated.Plan.Activations[^1], CalibrationMethod.Entropy));
        var written = ImageParameters(calibrated.ToInt8(settings), image);
        Assert.True(written.RangeMin <= stats.Min + written.Scale / 2 && written.RangeMax >= stats.Max - written.Scale / 2,
            $"image quantized over [{written.RangeMin}, {written.RangeMax}], calibration saw [{stats.Min}, {stats.Max}]");
    }

    [Fact]
    public void A_grey_model_reads_the_uint8_pixels_as_its_quantized_image()
    {
        var (_, proto) = FashionMnistResNet("resnet20");
        var settings = new QuantizationSettings { Method = CalibrationMethod.Entropy, CalibrationSize = 64 };
        var calibrated = CalibratedModel.Calibrate(ContractModel.From(proto, "resnet20.onnx"), FashionMnist.Split("train"), settings);
        var direct = Assert.IsType<DirectImageInput>(calibrated.Plan.DirectImage);
        Assert.Equal(73, direct.ZeroPoint); // 255 · 0.286 = 72.93, rounded
        var int8 = calibrated.ToInt8(settings);
        var written = ImageParameters(int8, calibrated.Plan.ImageTensor);
        Assert.Equal((1f, 73), (written.Scale, written.ZeroPoint));
        // One DequantizeLinear reads the transposed uint8 input; the float Cast and Sub are gone.
        var dq = int8.Graph.Node.Single(n => n.Output.Contains(calibrated.Plan.ImageTensor + "_dequantized"));
        Assert.Equal("DequantizeLinear", dq.OpType);
        Assert.Equal(direct.Pixels, dq.Input[0]);
        Assert.DoesNotContain(int8.Graph.Node, n => n.OpType is "Cast" or "Sub");
    }

    private static QuantizationParameters ImageParameters(ModelProto int8, string image)
    {
        var initializers = int8.Graph.Initializer.ToDictionary(t => t.Name);
        float scale = OnnxTensors.ReadFloats(initializers[image + "_scale"])[0];
        return new QuantizationParameters(scale, initializers[image + "_zero_point"].RawData[0], 0, 255);
    }

    private static (ResNetSpec Spec, ModelProto Model) FashionMnistResNet(string architecture, ColorMode color = ColorMode.Grey)
    {
        bool grey = color == ColorMode.Grey;
        var spec = ResNetZoo.Create(architecture, inputChannels: grey ? 1 : 3, numClasses: 10);
        var metadata = new EdgeVision.Core.Model.ModelMetadata
        {
            Labels = FashionMnist.Classes, Architecture = architecture, InputWidth = 28, InputHeight = 28, Color = color,
            Mean = grey ? [0.286f] : [0.485f, 0.456f, 0.406f], Std = grey ? [0.353f] : [0.229f, 0.224f, 0.225f], Dataset = "fashion-mnist",
        };
        return (spec, ContractModelFactory.CreateResNet(spec, RandomWeights.Create(ResNetPlan.Build(spec), 3), metadata));
    }
}
