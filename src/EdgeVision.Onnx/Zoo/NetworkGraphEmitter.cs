using EdgeVision.Core.Architecture;
using EdgeVision.Onnx.ResNet;

namespace EdgeVision.Onnx.Zoo;

/// <summary>The family emitter for a plan: stem, body, pooling and classifier into the graph behind <see cref="LayerEmitter"/>.</summary>
internal static class NetworkGraphEmitter
{
    public static string EmitLogits(LayerEmitter layers, INetworkPlan plan, string input, string logitsName) => plan switch
    {
        ResNetPlan resnet => new ResNetGraphEmitter(layers, resnet).EmitLogits(input, logitsName),
        DenseNetPlan dense => new DenseNetGraphEmitter(layers, dense).EmitLogits(input, logitsName),
        RegNetPlan regnet => new RegNetGraphEmitter(layers, regnet).EmitLogits(input, logitsName),
        _ => throw new ArgumentException($"{plan.Name}: no ONNX emitter for a {plan.GetType().Name}"),
    };
}
