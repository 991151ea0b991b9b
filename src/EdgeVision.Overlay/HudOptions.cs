using System.ComponentModel.DataAnnotations;

namespace EdgeVision.Overlay;

/// <summary>
/// What the HUD shows, bound from the "Hud" section. Toggles may be flipped at run time from any thread
/// (a bool write is atomic; the renderer reads each flag once per frame).
/// </summary>
public sealed class HudOptions : IValidatableObject
{
    public const string SectionName = "Hud";
    public const int MaxTopK = 10;

    /// <summary>Master switch: false draws nothing at all.</summary>
    public bool Enabled { get; set; } = true;

    [Range(1, MaxTopK)]
    public int TopKCount { get; set; } = 3;

    /// <summary>Opacity of the dark panels behind text, 0 (none) to 1 (solid).</summary>
    [Range(0.0, 1.0)]
    public double PanelOpacity { get; set; } = 0.6;

    public bool Reticle { get; set; } = true;
    public bool TopK { get; set; } = true;
    public bool SourceName { get; set; } = true;
    public bool Fps { get; set; } = true;
    public bool Dropped { get; set; } = true;
    public bool Accuracy { get; set; } = true;
    public bool Model { get; set; } = true;
    public bool Provider { get; set; } = true;
    public bool InferenceTime { get; set; } = true;
    public bool Latency { get; set; } = true;
    public bool FrameGraph { get; set; } = true;

    public bool IsVisible(HudElement element) => element switch
    {
        HudElement.Reticle => Reticle,
        HudElement.TopK => TopK,
        HudElement.SourceName => SourceName,
        HudElement.Fps => Fps,
        HudElement.Dropped => Dropped,
        HudElement.Accuracy => Accuracy,
        HudElement.Model => Model,
        HudElement.Provider => Provider,
        HudElement.InferenceTime => InferenceTime,
        HudElement.Latency => Latency,
        HudElement.FrameGraph => FrameGraph,
        _ => throw new ArgumentOutOfRangeException(nameof(element), element, "unknown HUD element"),
    };

    public void SetVisible(HudElement element, bool visible)
    {
        switch (element)
        {
            case HudElement.Reticle: Reticle = visible; break;
            case HudElement.TopK: TopK = visible; break;
            case HudElement.SourceName: SourceName = visible; break;
            case HudElement.Fps: Fps = visible; break;
            case HudElement.Dropped: Dropped = visible; break;
            case HudElement.Accuracy: Accuracy = visible; break;
            case HudElement.Model: Model = visible; break;
            case HudElement.Provider: Provider = visible; break;
            case HudElement.InferenceTime: InferenceTime = visible; break;
            case HudElement.Latency: Latency = visible; break;
            case HudElement.FrameGraph: FrameGraph = visible; break;
            default: throw new ArgumentOutOfRangeException(nameof(element), element, "unknown HUD element");
        }
    }

    /// <summary>Parses an element name case-insensitively ("topk", "FrameGraph"…); false for unknown names.</summary>
    public static bool TryParseElement(string? name, out HudElement element) =>
        Enum.TryParse(name, ignoreCase: true, out element) && Enum.IsDefined(element);

    /// <summary>Sets every element's visibility at once.</summary>
    public void SetAll(bool visible)
    {
        foreach (var element in Enum.GetValues<HudElement>()) SetVisible(element, visible);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TopKCount is < 1 or > MaxTopK)
            yield return new ValidationResult($"{SectionName}:{nameof(TopKCount)} {TopKCount} is outside 1..{MaxTopK}", [nameof(TopKCount)]);
        if (!(PanelOpacity >= 0 && PanelOpacity <= 1))
            yield return new ValidationResult($"{SectionName}:{nameof(PanelOpacity)} {PanelOpacity} is outside 0..1", [nameof(PanelOpacity)]);
    }
}
