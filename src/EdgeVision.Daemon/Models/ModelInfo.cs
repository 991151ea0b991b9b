namespace EdgeVision.Daemon.Models;

/// <summary>One catalog entry as the API lists it: a readable model's metadata, or the reason it cannot be read.</summary>
public sealed record ModelInfo(
    string Name,
    string? Architecture,
    string? Precision,
    double? Top1,
    long SizeBytes,
    bool Active,
    string? Error)
{
    /// <summary>"shipped" (the model directory) or "taught" (taught on this device, named <c>taught/…</c>).</summary>
    public string Origin { get; init; } = "shipped";

    /// <summary>For a taught model: the captures it learned from.</summary>
    public int? TaughtFrom { get; init; }
    public DateTimeOffset? TrainedAt { get; init; }
    public int? Labels { get; init; }
}
