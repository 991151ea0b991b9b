using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Transfer;

/// <summary>An ONNX Gemm with constant B (and C) as a trainable linear layer, B kept in the graph's own layout so it goes back unchanged in shape.</summary>
internal sealed class OnnxGemm : OnnxWeightedModule
{
    private readonly bool _transB;

    public OnnxGemm(string name, Tensor weight, Tensor? bias, bool transB, string weightName, string? biasName) : base(name, weight, bias, weightName, biasName)
    {
        _transB = transB;
    }

    public override Tensor forward(Tensor x)
    {
        var y = x.matmul(_transB ? weight.t() : weight);
        return bias is null ? y : y.add(bias);
    }
}
