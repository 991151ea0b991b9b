using EdgeVision.Overlay;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// The HUD elements shown now: the <c>Hud</c> section (EdgeVision.Overlay's <see cref="HudOptions"/>) as
/// configured, toggled at run time from any thread by the window keys and the HTTP API. Every renderer
/// reads this one options object, so a toggle applies to all streams from the next frame.
/// </summary>
public sealed class HudToggles(IOptions<HudOptions> options)
{
    public HudOptions Options { get; } = options.Value;

    public bool Visible
    {
        get => Options.Enabled;
        set => Options.Enabled = value;
    }

    public bool ToggleVisible() => Options.Enabled = !Options.Enabled;

    /// <summary>Whether one element ("hud": the whole HUD) is shown; unknown names throw naming the known ones.</summary>
    public bool Get(string element)
    {
        if (string.Equals(element, "hud", StringComparison.OrdinalIgnoreCase)) return Options.Enabled;
        return Options.IsVisible(Parse(element));
    }

    /// <summary>Sets one element ("hud" means the whole HUD); unknown names throw naming the known ones.</summary>
    public void Set(string element, bool visible)
    {
        if (string.Equals(element, "hud", StringComparison.OrdinalIgnoreCase))
        {
            Options.Enabled = visible;
            return;
        }
        Options.SetVisible(Parse(element), visible);
    }

    private static HudElement Parse(string element) => HudOptions.TryParseElement(element, out var e)
        ? e
        : throw new ArgumentException($"unknown HUD element '{element}' (known: {string.Join(", ", EdgeVision.Daemon.Options.HudElementNames.All)})", nameof(element));
}
