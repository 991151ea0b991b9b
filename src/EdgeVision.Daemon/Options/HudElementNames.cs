using EdgeVision.Overlay;

namespace EdgeVision.Daemon.Options;

/// <summary>
/// The HUD element names <see cref="Control.IDaemonControl.SetHudElement"/> accepts: "hud" (the whole HUD)
/// and every <see cref="HudElement"/> (case-insensitive). The <c>Hud</c> section itself binds to
/// EdgeVision.Overlay's HudOptions (the one options class of that name); this class only publishes the names for the HTTP surface and its tests.
/// </summary>
public static class HudElementNames
{
    public static readonly IReadOnlyList<string> All =
        ["hud", .. Enum.GetNames<HudElement>().Select(n => char.ToLowerInvariant(n[0]) + n[1..])];
}
