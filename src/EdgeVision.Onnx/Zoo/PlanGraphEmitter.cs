using EdgeVision.Core.Architecture;
using EdgeVision.Onnx.Graph;

namespace EdgeVision.Onnx.Zoo;

/// <summary>
/// The one entry of every family's emitter (<see cref="NetworkGraphEmitter"/> picks it by plan): it walks
/// <typeparamref name="TPlan"/> and emits its layers through a <see cref="LayerEmitter"/> (folded or reference).
/// </summary>
internal abstract class PlanGraphEmitter<TPlan>(LayerEmitter layers, TPlan plan) where TPlan : INetworkPlan
{
    protected LayerEmitter Layers { get; } = layers;
    protected GraphBuilder Graph { get; } = layers.Graph;
    protected TPlan Plan { get; } = plan;

    /// <summary>Emits stem, body, pooling and the classifier; returns the logits value (named <paramref name="logitsName"/>).</summary>
    public abstract string EmitLogits(string input, string logitsName);
}
