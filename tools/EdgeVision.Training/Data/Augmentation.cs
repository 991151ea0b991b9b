namespace EdgeVision.Training.Data;

/// <summary>Training-time augmentation; all off is plain batch assembly.</summary>
public sealed record AugmentationOptions
{
    /// <summary>Random crop after zero padding by this many pixels on each side (0 disables).</summary>
    public int CropPadding { get; init; }

    public bool HorizontalFlip { get; init; }

    /// <summary>Random erasing (Zhong et al. 2017) probability per image; 0 disables.</summary>
    public double ErasingProbability { get; init; }

    public static AugmentationOptions None => new();

    public void Validate()
    {
        if (CropPadding is < 0 or > 64) throw new ArgumentException($"crop padding must be in 0..64, not {CropPadding}");
        if (ErasingProbability is < 0 or > 1 || double.IsNaN(ErasingProbability))
            throw new ArgumentException($"erasing probability must be in 0..1, not {ErasingProbability}");
    }
}
