using EdgeVision.Core.Model;

namespace EdgeVision.Daemon.Models;

/// <summary>What other threads may know about the serving model (the Classifier itself belongs to the loop).</summary>
public sealed record ActiveModel(string Name, string Path, ModelMetadata Metadata, string Provider, int ClassCount)
{
    /// <summary>Cached so the HUD does not format it every frame.</summary>
    public string PrecisionName => Summary.PrecisionName;

    /// <summary>What each frame report of this model carries.</summary>
    public ModelSummary Summary { get; } = new(Name, Metadata.Labels, Metadata.Precision, Provider, Metadata.Resize == ResizePolicy.CenterCrop);
}
