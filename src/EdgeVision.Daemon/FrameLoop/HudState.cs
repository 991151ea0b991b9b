using EdgeVision.Daemon.Options;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>The HUD elements shown now: starts from <see cref="HudOptions"/>, toggled at run time from any thread.</summary>
public sealed class HudState
{
    private readonly Dictionary<string, bool> _elements = new(StringComparer.OrdinalIgnoreCase);
    private volatile bool _visible;

    public HudState(IOptions<HudOptions> options)
    {
        var o = options.Value;
        _visible = o.Visible;
        _elements["labels"] = o.Labels;
        _elements["source"] = o.Source;
        _elements["fps"] = o.Fps;
        _elements["latency"] = o.Latency;
        _elements["model"] = o.Model;
        _elements["dropped"] = o.Dropped;
        _elements["reticle"] = o.Reticle;
    }

    public bool Visible
    {
        get => _visible;
        set => _visible = value;
    }

    public bool ToggleVisible() => _visible = !_visible;

    public bool IsShown(string element)
    {
        lock (_elements) return _visible && _elements.TryGetValue(element, out bool on) && on;
    }

    /// <summary>Sets one element ("hud" means the whole HUD); unknown names throw naming the known ones.</summary>
    public void Set(string element, bool visible)
    {
        if (string.Equals(element, "hud", StringComparison.OrdinalIgnoreCase))
        {
            _visible = visible;
            return;
        }
        lock (_elements)
        {
            if (!_elements.ContainsKey(element))
                throw new ArgumentException($"unknown HUD element '{element}' (known: hud, {string.Join(", ", HudOptions.ElementNames)})", nameof(element));
            _elements[element] = visible;
        }
    }
}
