namespace EdgeVision.Teaching;

/// <summary>Where a teach run is: phase, images embedded so far of those that needed it, cache hits, skipped captures, and the hold-out accuracy once known.</summary>
public sealed record TeachProgress(string Phase, int Images, int Embedded, int ToEmbed, int Cached, int Skipped, double? Accuracy)
{
    public const string Scanning = "scanning";
    public const string Embedding = "embedding";
    public const string Fitting = "fitting";
    public const string Writing = "writing";
}
