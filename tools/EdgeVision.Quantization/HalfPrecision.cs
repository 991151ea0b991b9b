using EdgeVision.Core.Model;
using EdgeVision.Onnx.Proto;

namespace EdgeVision.Quantization;

/// <summary>The float16 variant of a contract model.</summary>
public static class HalfPrecision
{
    public static ModelProto Convert(ContractModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Metadata.Precision != Precision.Fp32)
            throw new ModelContractException($"{model.Source} is already {model.Metadata.Precision.ToString().ToLowerInvariant()}; convert the fp32 model");
        var half = Fp16Converter.Convert(model.Model);
        return ContractModel.WithMetadata(half, model.Metadata with { Precision = Precision.Fp16, Top1 = null, Top5 = null, Calibration = null });
    }
}
