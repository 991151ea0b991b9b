using EdgeVision.Core.Model;
using EdgeVision.Onnx.Pretrained;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Transfer;

/// <summary>
/// The preprocessing <see cref="BackboneClassifierModel"/> writes into every contract model, in TorchSharp and
/// in the same float32 order of operations: uint8 [N, H, W, C] (C = 3 BGR, or 1 grey, replicated to B = G = R
/// as a grey frame reaches the daemon) → planar float → RGB reorder if the backbone wants it → x − mean/s
/// (a per-channel mean or a whole mean image) → · s/σ where that is not 1. Training thus sees exactly what
/// the exported model computes.
/// </summary>
public sealed class BackboneInput : IDisposable
{
    private readonly Tensor _mean;
    private readonly Tensor? _scale;
    private readonly bool _rgb;

    public BackboneInput(BackbonePreprocessing preprocessing, int height, int width)
    {
        preprocessing.Validate(height, width);
        Preprocessing = preprocessing;
        Height = height;
        Width = width;
        float[] mean = Array.ConvertAll(preprocessing.Mean, m => m / preprocessing.PixelScale);
        long[] dims = preprocessing.HasMeanImage ? [1, 3, height, width] : [1, 3, 1, 1];
        _mean = torch.tensor(mean, dims);
        float[] scale = [.. preprocessing.Std.Select(s => preprocessing.PixelScale / s)];
        _scale = scale.Any(s => s != 1f) ? torch.tensor(scale, [1, 3, 1, 1]) : null;
        _rgb = preprocessing.ChannelOrder == ColorMode.Rgb;
    }

    public BackbonePreprocessing Preprocessing { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>Returns float32 [N, 3, H, W]; the caller owns it.</summary>
    public Tensor ToNetwork(Tensor pixels)
    {
        if (pixels.dtype != ScalarType.Byte || pixels.dim() != 4)
            throw new ArgumentException($"pixels must be uint8 [N, H, W, C], got {pixels.dtype} with {pixels.dim()} dimensions");
        if (pixels.shape[1] != Height || pixels.shape[2] != Width)
            throw new ArgumentException($"pixels are {pixels.shape[1]}×{pixels.shape[2]}; the backbone takes {Height}×{Width}");
        long c = pixels.shape[3];
        if (c is not (1 or 3)) throw new ArgumentException($"pixels have {c} channels; 1 (grey) or 3 (BGR) are supported");
        using var scope = NewDisposeScope();
        var x = pixels.permute(0, 3, 1, 2).to(ScalarType.Float32);
        if (c == 1) x = x.expand(-1, 3, -1, -1);
        if (_rgb) x = x.flip(1);
        x = x.sub(_mean);
        if (_scale is not null) x = x.mul(_scale);
        return x.contiguous().MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _mean.Dispose();
        _scale?.Dispose();
    }
}
