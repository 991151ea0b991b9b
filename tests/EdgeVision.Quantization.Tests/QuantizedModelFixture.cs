using EdgeVision.Data;
using EdgeVision.Onnx.Proto;
using EdgeVision.Quantization;
using Google.Protobuf;

namespace EdgeVision.Quantization.Tests;

/// <summary>One float test model, its calibration on 256 Fashion-MNIST training images and 1000 test images, shared by the model tests.</summary>
public sealed class QuantizedModelFixture
{
    public const int CalibrationImages = 512;
    public const int TestImages = 1000;

    public QuantizedModelFixture()
    {
        Float = ContractModel.From(TinyContractModel.Create(), "tiny.onnx");
        FloatBytes = Float.Model.ToByteArray();
        Train = FashionMnist.Split("train");
        Test = FashionMnist.Split("test");
        Settings = new QuantizationSettings { Method = CalibrationMethod.Entropy, CalibrationSize = CalibrationImages };
        Calibrated = CalibratedModel.Calibrate(Float, Train, Settings);
        FloatResult = ModelEvaluator.Evaluate(FloatBytes, Float.Source, Test, TestImages);
    }

    public ContractModel Float { get; }
    public byte[] FloatBytes { get; }
    public ImageDataset Train { get; }
    public ImageDataset Test { get; }
    public QuantizationSettings Settings { get; }
    public CalibratedModel Calibrated { get; }
    public ModelEvaluator.Result FloatResult { get; }

    public ModelProto Int8(CalibrationMethod method) => Calibrated.ToInt8(Settings with { Method = method });
}
