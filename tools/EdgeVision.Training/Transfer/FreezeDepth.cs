namespace EdgeVision.Training.Transfer;

/// <summary>
/// How much of a pretrained backbone stays fixed: nothing, the stem, the stem and layers 1…K, or the whole
/// backbone (only the new head learns; features can then be computed once and cached).
/// </summary>
public readonly record struct FreezeDepth
{
    private const int BackboneStage = int.MaxValue;

    private FreezeDepth(int lastFrozenStage) => LastFrozenStage = lastFrozenStage;

    /// <summary>−1 for none, 0 for the stem, K for layerK, int.MaxValue for the whole backbone.</summary>
    public int LastFrozenStage { get; }

    public static FreezeDepth None => new(-1);
    public static FreezeDepth Backbone => new(BackboneStage);

    public bool FreezesAnything => LastFrozenStage >= 0;
    public bool IsWholeBackbone => LastFrozenStage == BackboneStage;

    /// <summary>none | stem | layer1 … layer9 | backbone.</summary>
    public static FreezeDepth Parse(string value) => value.ToLowerInvariant() switch
    {
        "none" => None,
        "stem" => new(0),
        "backbone" => Backbone,
        var v when v.StartsWith("layer", StringComparison.Ordinal) && int.TryParse(v[5..], out int k) && k is >= 1 and <= 9 => new(k),
        _ => throw new ArgumentException($"--freeze '{value}' is not none, stem, layer1…layer4 or backbone"),
    };

    public bool Freezes(int stage) => stage <= LastFrozenStage;

    public override string ToString() => LastFrozenStage switch
    {
        -1 => "none",
        0 => "stem",
        BackboneStage => "backbone",
        var k => $"layer{k}",
    };
}
