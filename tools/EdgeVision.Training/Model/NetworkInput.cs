using EdgeVision.Core.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Model;

/// <summary>
/// The exact preprocessing the contract model performs in its graph, so training sees what the daemon
/// feeds: uint8 pixels → (x/255 − mean)/std in the network's colour order, NCHW.
/// </summary>
public sealed class NetworkInput
{
    public NetworkInput(ColorMode color, IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        int channels = color == ColorMode.Grey ? 1 : 3;
        if (mean.Count != channels || std.Count != channels)
            throw new ArgumentException($"{color} input needs {channels} mean and std values, got {mean.Count} and {std.Count}");
        if (std.Any(s => !(s > 0f))) throw new ArgumentException("std values must be positive");
        Color = color;
        Mean = mean.ToArray();
        Std = std.ToArray();
    }

    /// <summary>Fashion-MNIST statistics of the training split.</summary>
    public static NetworkInput FashionMnist => new(ColorMode.Grey, [0.2860f], [0.3530f]);

    /// <summary>torchvision's ImageNet statistics, RGB.</summary>
    public static NetworkInput ImageNet => new(ColorMode.Rgb, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    public ColorMode Color { get; }
    public float[] Mean { get; }
    public float[] Std { get; }
    public int Channels => Color == ColorMode.Grey ? 1 : 3;

    /// <summary>
    /// <paramref name="pixels"/>: uint8 [N, H, W, C] where C is 1 (already grey) or 3 (BGR, OpenCV order).
    /// Returns float32 [N, Channels, H, W]; the caller owns it.
    /// </summary>
    public Tensor ToNetwork(Tensor pixels)
    {
        if (pixels.dtype != ScalarType.Byte || pixels.dim() != 4)
            throw new ArgumentException($"pixels must be uint8 [N, H, W, C], got {pixels.dtype} with {pixels.dim()} dimensions");
        long c = pixels.shape[3];
        using var scope = NewDisposeScope();
        var x = pixels.to(ScalarType.Float32);
        x = (c, Color) switch
        {
            (1, ColorMode.Grey) => x,
            (3, ColorMode.Bgr) => x,
            (3, ColorMode.Rgb) => x.flip(3),
            // Same weights as the contract graph's BGR → grey (ITU-R BT.601).
            (3, ColorMode.Grey) => (x[.., .., .., 0] * 0.114f + x[.., .., .., 1] * 0.587f + x[.., .., .., 2] * 0.299f).unsqueeze(3),
            (1, _) => x.expand(-1, -1, -1, 3),
            _ => throw new ArgumentException($"pixels have {c} channels; 1 or 3 are supported"),
        };
        x = x.permute(0, 3, 1, 2);
        x = x.div(255f);
        var mean = torch.tensor(Mean).reshape(1, Channels, 1, 1);
        var std = torch.tensor(Std).reshape(1, Channels, 1, 1);
        x = x.sub(mean).div(std).contiguous();
        return x.MoveToOuterDisposeScope();
    }
}
