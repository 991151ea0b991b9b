using EdgeVision.Core.Architecture;
using EdgeVision.Onnx.Graph;

namespace EdgeVision.Onnx.Zoo;

/// <summary>
/// Walks a <see cref="DenseNetPlan"/>. Only norm2 (right after conv1) and the ImageNet stem's norm0 fold into a
/// convolution; norm1, the transition norms and norm5 read a concatenation whose channels come from many earlier
/// layers (each also read unnormalised by later ones), so they stay a per-channel Mul+Add.
/// </summary>
internal sealed class DenseNetGraphEmitter(LayerEmitter layers, DenseNetPlan plan) : PlanGraphEmitter<DenseNetPlan>(layers, plan)
{
    public override string EmitLogits(string input, string logitsName)
    {
        string x = Layers.Conv(input, Plan.StemConv, Plan.StemNorm, isStem: true);
        if (Plan.StemNorm is not null) x = Layers.Relu(x, "features.stem");
        if (Plan.StemMaxPool) x = Layers.StemMaxPool(x, "features.pool0");
        foreach (var block in Plan.Blocks)
        {
            foreach (var layer in block.Layers)
            {
                string a = Layers.Relu(Layers.StandaloneNorm(x, layer.Norm1), layer.Norm1.Name);
                string h = Layers.Relu(Layers.Conv(a, layer.Conv1, layer.Norm2), layer.Norm2.Name);
                string y = Layers.Conv(h, layer.Conv2, null);
                x = Graph.AddNode("Concat", [x, y], layer.Name + ".concat", OnnxAttributes.Int("axis", 1));
            }
            if (block.Transition is { } t) x = Transition(x, t);
        }
        x = Layers.Relu(Layers.StandaloneNorm(x, Plan.FinalNorm), Plan.FinalNorm.Name);
        return Layers.Classifier(x, Plan.Classifier, logitsName);
    }

    // BN → ReLU → 1×1 conv → 2×2/2 average pool. A 1×1 convolution without bias and a non-overlapping average pool
    // are both linear and per pixel / per window, so they commute exactly; the folded graph pools first and runs
    // the convolution on a quarter of the pixels. The reference keeps torchvision's order.
    private string Transition(string x, TransitionPlan t)
    {
        string a = Layers.Relu(Layers.StandaloneNorm(x, t.Norm), t.Norm.Name);
        if (!Layers.FoldsNorms) return Pool(Layers.Conv(a, t.Conv, null), t.Name + ".pool");
        return Layers.Conv(Pool(a, t.Name + ".pool"), t.Conv, null);
    }

    private string Pool(string x, string name) => Graph.AddNode("AveragePool", [x], name,
        OnnxAttributes.Ints("kernel_shape", 2, 2), OnnxAttributes.Ints("strides", 2, 2));
}
