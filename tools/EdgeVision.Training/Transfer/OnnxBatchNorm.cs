using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeVision.Training.Transfer;

/// <summary>
/// An ONNX BatchNormalization as a module whose running statistics are buffers. One whose statistics are frozen
/// normalises with them and never updates them, whatever mode the network is in: a frozen layer's (freezing means
/// BN statistics untouched, not only no gradients), or a training one's under <see cref="TransferOptions.KeepBatchNormStatistics"/>.
/// </summary>
internal sealed class OnnxBatchNorm : nn.Module<Tensor, Tensor>, IOnnxParameterised
{
    private readonly double _epsilon, _momentum;

    public OnnxBatchNorm(string name, Tensor scale, Tensor shift, Tensor mean, Tensor variance, double epsilon, double onnxMomentum,
        string[] initializerNames) : base(name)
    {
        _epsilon = epsilon;
        // ONNX: running = running·m + batch·(1 − m); torch: running = running·(1 − m') + batch·m'.
        _momentum = 1 - onnxMomentum;
        weight = nn.Parameter(scale);
        bias = nn.Parameter(shift);
        running_mean = mean;
        running_var = variance;
        register_parameter("weight", weight);
        register_parameter("bias", bias);
        register_buffer("running_mean", running_mean);
        register_buffer("running_var", running_var);
        Initializers = [("weight", initializerNames[0]), ("bias", initializerNames[1]), ("running_mean", initializerNames[2]), ("running_var", initializerNames[3])];
    }

    public Parameter weight { get; }
    public Parameter bias { get; }
    public Tensor running_mean { get; }
    public Tensor running_var { get; }
    public bool StatisticsFrozen { get; set; }
    public IReadOnlyList<(string Tensor, string Initializer)> Initializers { get; }

    public override Tensor forward(Tensor x) =>
        nn.functional.batch_norm(x, running_mean, running_var, weight, bias, training && !StatisticsFrozen, _momentum, _epsilon);
}
