using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeVision.Training.Transfer;

/// <summary>
/// A mapped ONNX node with a trainable weight and optional bias read from named graph initializers: registers
/// them under the names the export writes back (<see cref="IOnnxParameterised.Initializers"/>).
/// </summary>
internal abstract class OnnxWeightedModule : nn.Module<Tensor, Tensor>, IOnnxParameterised
{
    protected OnnxWeightedModule(string name, Tensor weight, Tensor? bias, string weightName, string? biasName) : base(name)
    {
        this.weight = nn.Parameter(weight);
        this.bias = bias is null ? null : nn.Parameter(bias);
        register_parameter("weight", this.weight);
        if (this.bias is not null) register_parameter("bias", this.bias);
        Initializers = biasName is null ? [("weight", weightName)] : [("weight", weightName), ("bias", biasName)];
    }

    public Parameter weight { get; }
    public Parameter? bias { get; }
    public IReadOnlyList<(string Tensor, string Initializer)> Initializers { get; }
}
