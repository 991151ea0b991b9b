using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Transfer;

/// <summary>
/// An ONNX Conv as a trainable module. Padding may be asymmetric (the CNTK ResNet-18 pads its stride-2
/// convolutions [1,1,0,0]): it is applied as an explicit zero pad before an unpadded convolution, which is
/// what ONNX means by it.
/// </summary>
internal sealed class OnnxConv : OnnxWeightedModule
{
    private readonly long[] _stride, _dilation;
    private readonly long _groups;
    private readonly long[]? _pad;

    public OnnxConv(string name, Tensor weight, Tensor? bias, long[] stride, long[]? pad, long[] dilation, long groups,
        string weightName, string? biasName) : base(name, weight, bias, weightName, biasName)
    {
        _stride = stride;
        _pad = pad;
        _dilation = dilation;
        _groups = groups;
    }

    public override Tensor forward(Tensor x)
    {
        if (_pad is not null) x = nn.functional.pad(x, _pad);
        return nn.functional.conv2d(x, weight, bias, strides: _stride, dilation: _dilation, groups: _groups);
    }
}
