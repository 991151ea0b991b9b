using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Data;
using EdgeVision.Onnx;
using EdgeVision.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Quantization.Tests;

/// <summary>
/// INT8 QDQ on the DenseNet and RegNet graphs (Concat, norms as Mul+Add after a concatenation, AveragePool, SE's
/// Sigmoid and Mul): the quantized model loads with every optimisation, all its convolutions run as integer kernels,
/// and its predictions follow fp32.
/// </summary>
public sealed class NewFamilyQuantizationTests
{
    [Theory]
    [InlineData("densenet_bc_40_12")]
    [InlineData("regnet_x_cifar:24,36.44,2.49,6,8")]
    [InlineData("regnet_y_cifar:24,36.44,2.49,6,8")]
    public void Quantized_model_runs_in_integer_kernels_and_agrees_with_float(string architecture)
    {
        var plan = NetworkZoo.Create(architecture, 1, 10);
        var metadata = new EdgeVision.Core.Model.ModelMetadata
        {
            Labels = FashionMnist.Classes, Architecture = plan.Name, InputWidth = 28, InputHeight = 28, Color = ColorMode.Grey,
            Mean = [0.286f], Std = [0.353f], Dataset = "fashion-mnist",
        };
        var proto = ContractModelFactory.Create(plan, RandomWeights.Create(plan, 3), metadata);
        var model = ContractModel.From(proto, architecture + ".onnx");
        var settings = new QuantizationSettings { Method = CalibrationMethod.MinMax, CalibrationSize = 64 };
        var int8 = CalibratedModel.Calibrate(model, FashionMnist.Split("train"), settings).ToInt8(settings);

        string path = Path.Combine(Path.GetTempPath(), $"family-int8-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = path })
            using (new InferenceSession(int8.ToByteArray(), options)) { }
            var ops = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Node.Select(n => n.OpType).ToList();
            int convolutions = proto.Graph.Node.Count(n => n.OpType == "Conv");
            Assert.Equal(convolutions, ops.Count(o => o == "QLinearConv"));
            Assert.DoesNotContain("Conv", ops);
        }
        finally
        {
            File.Delete(path);
        }

        var test = FashionMnist.Split("test");
        var p32 = ModelEvaluator.Evaluate(proto.ToByteArray(), model.Source, test, 64);
        var p8 = ModelEvaluator.Evaluate(int8.ToByteArray(), ContractModel.From(int8, "int8").Source, test, 64);
        double agreement = ModelEvaluator.Agreement(p32.Predictions, p8.Predictions);
        Assert.True(agreement >= 0.8, $"{architecture}: int8 agrees with fp32 on {agreement:P1}");
    }
}
