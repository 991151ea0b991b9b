using System.CommandLine;

namespace EdgeVision.Tools.Verbs;

/// <summary><c>edgevision experiment degradation|lesion|gradients</c>: the studies behind the ResNet family, one sub-verb each.</summary>
public sealed class ExperimentVerb : Command
{
    public ExperimentVerb() : base("experiment",
        "the papers' experiments: degradation (plain vs residual depth), lesion (remove one block), gradients (per-layer norms)")
    {
        Add(new DegradationVerb());
        Add(new LesionVerb());
        Add(new GradientsVerb());
    }
}
