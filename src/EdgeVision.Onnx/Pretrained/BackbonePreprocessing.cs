using EdgeVision.Core.Model;

namespace EdgeVision.Onnx.Pretrained;

/// <summary>
/// Exactly what a pretrained backbone expects of its float NCHW input, as arithmetic on raw 0–255 pixels:
/// <c>x = (pixel · PixelScale − Mean) / Std</c>, with channels in <see cref="ChannelOrder"/>. Every model built
/// on the backbone reproduces this in its graph, so the features at inference are the features it learned.
/// </summary>
public sealed record BackbonePreprocessing
{
    /// <summary>The channel order of the backbone's input: Bgr or Rgb (never Grey: grey data is replicated to 3 channels).</summary>
    public required ColorMode ChannelOrder { get; init; }

    /// <summary>Applied to 0–255 pixels first: 1 for a 0–255 backbone (Caffe/CNTK style), 1/255 for a [0,1] one (torchvision).</summary>
    public required float PixelScale { get; init; }

    /// <summary>
    /// Subtracted after the scale, in the backbone's channel order: 3 values (one per channel) or 3·H·W values
    /// (a per-pixel mean image, [3, H, W], as the ML.NET ResNet-18 preprocessing has).
    /// </summary>
    public required float[] Mean { get; init; }

    /// <summary>Divisor per channel after the mean, in the backbone's channel order.</summary>
    public required float[] Std { get; init; }

    public bool HasMeanImage => Mean.Length != 3;

    /// <summary>torchvision / ONNX model zoo ImageNet classifiers: RGB, [0,1], mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).</summary>
    public static BackbonePreprocessing TorchvisionImageNet { get; } = new()
    {
        ChannelOrder = ColorMode.Rgb,
        PixelScale = 1f / 255f,
        Mean = [0.485f, 0.456f, 0.406f],
        Std = [0.229f, 0.224f, 0.225f],
    };

    /// <summary>Throws naming the field when the description cannot hold for an input of this size.</summary>
    public void Validate(int height, int width)
    {
        if (ChannelOrder == ColorMode.Grey) throw new ModelContractException("backbone preprocessing: channel order must be rgb or bgr");
        if (!(PixelScale > 0) || !float.IsFinite(PixelScale)) throw new ModelContractException($"backbone preprocessing: pixel scale {PixelScale} must be positive");
        if (Mean.Length != 3 && Mean.Length != 3L * height * width)
            throw new ModelContractException($"backbone preprocessing: mean has {Mean.Length} values; 3 (per channel) or 3·{height}·{width} (a mean image) are needed");
        if (Std.Length != 3) throw new ModelContractException($"backbone preprocessing: std has {Std.Length} values, 3 are needed");
        if (Std.Any(s => !(s > 0) || !float.IsFinite(s))) throw new ModelContractException("backbone preprocessing: std values must be positive and finite");
        if (Mean.Any(m => !float.IsFinite(m))) throw new ModelContractException("backbone preprocessing: mean values must be finite");
    }

    /// <summary>
    /// The per-channel summary the contract metadata records ([0,1] scale, network channel order): for a mean image,
    /// its channel averages. The graph itself subtracts the exact image.
    /// </summary>
    public (float[] Mean, float[] Std) ToMetadataScale()
    {
        int plane = Mean.Length / 3;
        var mean = new float[3];
        var std = new float[3];
        for (int c = 0; c < 3; c++)
        {
            double sum = 0;
            for (int i = 0; i < plane; i++) sum += Mean[c * plane + i];
            // x = (p·s − m)/σ = (p/255 − m/(255 s)) / (σ/(255 s))
            mean[c] = (float)(sum / plane / (255.0 * PixelScale));
            std[c] = (float)(Std[c] / (255.0 * PixelScale));
        }
        return (mean, std);
    }
}
