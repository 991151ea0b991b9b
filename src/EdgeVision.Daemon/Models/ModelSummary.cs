using EdgeVision.Core.Model;

namespace EdgeVision.Daemon.Models;

/// <summary>
/// What a frame's report says about the model that classified it: made once per loaded model
/// (<see cref="ActiveModel.Summary"/>), so a new instance means a new model and a report carries one reference.
/// </summary>
public sealed record ModelSummary(string Name, IReadOnlyList<string> Labels, Precision Precision, string Provider, bool CenterCrop)
{
    /// <summary>Before any model is serving.</summary>
    public static readonly ModelSummary None = new("", [], Precision.Fp32, "", false);

    /// <summary>Lower-case precision name, cached so per-frame writers do not format it.</summary>
    public string PrecisionName { get; } = Precision.ToString().ToLowerInvariant();

    /// <summary>The CPU execution provider serves: the HUD marks it, since a GPU was usually meant.</summary>
    public bool OnCpu => Provider == EdgeVision.Inference.ExecutionProviders.Cpu;
}
