namespace EdgeVision.Daemon.Options;

/// <summary>Which HUD elements are drawn at start; toggled at run time by the window and the HTTP API. Section <c>Hud</c>.</summary>
public sealed class HudOptions
{
    public const string SectionName = "Hud";

    public static readonly IReadOnlyList<string> ElementNames = ["labels", "source", "fps", "latency", "model", "dropped", "reticle"];

    /// <summary>The whole HUD; 'h' in the window toggles this.</summary>
    public bool Visible { get; set; } = true;

    public bool Labels { get; set; } = true;
    public bool Source { get; set; } = true;
    public bool Fps { get; set; } = true;
    public bool Latency { get; set; } = true;
    public bool Model { get; set; } = true;
    public bool Dropped { get; set; } = true;
    public bool Reticle { get; set; } = true;
}
