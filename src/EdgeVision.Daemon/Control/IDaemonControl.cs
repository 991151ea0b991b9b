using EdgeVision.Daemon.Models;
using OpenCvSharp;

namespace EdgeVision.Daemon.Control;

/// <summary>
/// What the HTTP surface (and the local window) may ask of the running daemon. Implemented by the host;
/// every member is safe to call from any thread.
/// </summary>
public interface IDaemonControl
{
    /// <summary>Names of the configured sources, in configuration order.</summary>
    IReadOnlyList<string> SourceNames { get; }

    /// <summary>Labels of the model serving now.</summary>
    IReadOnlyList<string> Labels { get; }

    DaemonStatus GetStatus();

    /// <summary>The catalog (shipped models/*.onnx and taught/*.onnx) with their metadata; unreadable files are listed with the reason.</summary>
    IReadOnlyList<ModelInfo> ListModels();

    /// <summary>Why the models directory cannot be listed, or null (a control without one has none).</summary>
    string? ModelDirectoryProblem() => null;

    /// <summary>
    /// Loads <paramref name="name"/> (a file name from the catalog), validates and warms it up on the side and
    /// swaps it in between ticks. A bad model returns a failure with the reason; the old one keeps serving.
    /// </summary>
    Task<ModelSwitchResult> SwitchModelAsync(string name, CancellationToken cancellationToken);

    /// <summary>Switches to the usable catalog entry after the serving one (the window's 'm' key).</summary>
    Task<ModelSwitchResult> SwitchToNextModelAsync(CancellationToken cancellationToken);

    /// <summary>Copies the newest raw (un-annotated) frame of <paramref name="source"/>; false if there is none yet.</summary>
    bool TryGetRawFrame(string source, Mat destination);

    /// <summary>Shows or hides one HUD element ("hud" for all, or an EdgeVision.Overlay.HudElement name).</summary>
    void SetHudElement(string element, bool visible);

    /// <summary>Every name <see cref="SetHudElement"/> accepts, in <see cref="Options.HudElementNames.All"/> order, with its state now.</summary>
    IReadOnlyList<KeyValuePair<string, bool>> GetHud();
}

public sealed record DaemonStatus(
    IReadOnlyList<SourceStatus> Sources,
    ModelStatus Model,
    TimeSpan Uptime,
    bool FramesFlowing,
    long FramesInferred);

public sealed record SourceStatus(string Name, string State, double Fps, long Captured, long Dropped);

public sealed record ModelStatus(string Name, string Architecture, string Precision, string Provider, string Path, int Classes);

public sealed record ModelSwitchResult(bool Success, string Model, string? Error)
{
    public static ModelSwitchResult Ok(string model) => new(true, model, null);
    public static ModelSwitchResult Failed(string model, string error) => new(false, model, error);
}
