using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeVision.Training.Transfer;

/// <summary>An ONNX Gemm with constant B (and C) as a trainable linear layer, B kept in the graph's own layout so it goes back unchanged in shape.</summary>
internal sealed class OnnxGemm : nn.Module<Tensor, Tensor>, IOnnxParameterised
{
    private readonly bool _transB;

    public OnnxGemm(string name, Tensor weight, Tensor? bias, bool transB, string weightName, string? biasName) : base(name)
    {
        _transB = transB;
        this.weight = nn.Parameter(weight);
        this.bias = bias is null ? null : nn.Parameter(bias);
        register_parameter("weight", this.weight);
        if (this.bias is not null) register_parameter("bias", this.bias);
        Initializers = biasName is null ? [("weight", weightName)] : [("weight", weightName), ("bias", biasName)];
    }

    public Parameter weight { get; }
    public Parameter? bias { get; }
    public IReadOnlyList<(string Tensor, string Initializer)> Initializers { get; }

    public override Tensor forward(Tensor x)
    {
        var y = x.matmul(_transB ? weight.t() : weight);
        return bias is null ? y : y.add(bias);
    }
}
