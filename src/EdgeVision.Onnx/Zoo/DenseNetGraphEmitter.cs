using EdgeVision.Core.Architecture;
using EdgeVision.Onnx.Graph;

namespace EdgeVision.Onnx.Zoo;

/// <summary>
/// Walks a <see cref="DenseNetPlan"/>. Only norm2 (right after conv1) and the ImageNet stem's norm0 fold into a
/// convolution; norm1, the transition norms and norm5 read a concatenation whose channels come from many earlier
/// layers (each also read unnormalised by later ones), so they stay a per-channel Mul+Add.
/// </summary>
internal sealed class DenseNetGraphEmitter
{
    private readonly LayerEmitter _layers;
    private readonly GraphBuilder _graph;
    private readonly DenseNetPlan _plan;

    public DenseNetGraphEmitter(LayerEmitter layers, DenseNetPlan plan)
    {
        _layers = layers;
        _graph = layers.Graph;
        _plan = plan;
    }

    public string EmitLogits(string input, string logitsName)
    {
        string x = _layers.Conv(input, _plan.StemConv, _plan.StemNorm, isStem: true);
        if (_plan.StemNorm is not null) x = _layers.Relu(x, "features.stem");
        if (_plan.StemMaxPool) x = _layers.StemMaxPool(x, "features.pool0");
        foreach (var block in _plan.Blocks)
        {
            foreach (var layer in block.Layers)
            {
                string a = _layers.Relu(_layers.StandaloneNorm(x, layer.Norm1), layer.Norm1.Name);
                string h = _layers.Relu(_layers.Conv(a, layer.Conv1, layer.Norm2), layer.Norm2.Name);
                string y = _layers.Conv(h, layer.Conv2, null);
                x = _graph.AddNode("Concat", [x, y], layer.Name + ".concat", OnnxAttributes.Int("axis", 1));
            }
            if (block.Transition is { } t) x = Transition(x, t);
        }
        x = _layers.Relu(_layers.StandaloneNorm(x, _plan.FinalNorm), _plan.FinalNorm.Name);
        return _layers.Classifier(x, _plan.Classifier, logitsName);
    }

    // BN → ReLU → 1×1 conv → 2×2/2 average pool. A 1×1 convolution without bias and a non-overlapping average pool
    // are both linear and per pixel / per window, so they commute exactly; the folded graph pools first and runs
    // the convolution on a quarter of the pixels. The reference keeps torchvision's order.
    private string Transition(string x, TransitionPlan t)
    {
        string a = _layers.Relu(_layers.StandaloneNorm(x, t.Norm), t.Norm.Name);
        if (!_layers.FoldsNorms) return Pool(_layers.Conv(a, t.Conv, null), t.Name + ".pool");
        return _layers.Conv(Pool(a, t.Name + ".pool"), t.Conv, null);
    }

    private string Pool(string x, string name) => _graph.AddNode("AveragePool", [x], name,
        OnnxAttributes.Ints("kernel_shape", 2, 2), OnnxAttributes.Ints("strides", 2, 2));
}
