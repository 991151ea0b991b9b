using EdgeVision.Core.Architecture;
using EdgeVision.Onnx.Graph;

namespace EdgeVision.Onnx.Zoo;

/// <summary>
/// Walks a <see cref="RegNetPlan"/>: every BN follows a convolution and folds into it; SE (Y blocks) uses its own
/// biased 1×1 convolutions as they are.
/// </summary>
internal sealed class RegNetGraphEmitter
{
    private readonly LayerEmitter _layers;
    private readonly GraphBuilder _graph;
    private readonly RegNetPlan _plan;

    public RegNetGraphEmitter(LayerEmitter layers, RegNetPlan plan)
    {
        _layers = layers;
        _graph = layers.Graph;
        _plan = plan;
    }

    public string EmitLogits(string input, string logitsName)
    {
        string x = _layers.Relu(_layers.Conv(input, _plan.StemConv, _plan.StemNorm, isStem: true), "stem");
        foreach (var block in _plan.Blocks) x = Block(block, x);
        return _layers.Classifier(x, _plan.Classifier, logitsName);
    }

    // relu(c(se(b(a(x)))) + (proj ? proj(x) : x))
    private string Block(RegNetBlockPlan block, string x)
    {
        string f = _layers.Relu(_layers.Conv(x, block.A, block.NormA), block.A.Name);
        f = _layers.Relu(_layers.Conv(f, block.B, block.NormB), block.B.Name);
        if (block.SqueezeExcitation is { } se)
            f = _layers.SqueezeExcite(f, se.Name, se.Fc1.Name, s => _layers.Conv(s, se.Fc1, null), h => _layers.Conv(h, se.Fc2, null));
        f = _layers.Conv(f, block.C, block.NormC);
        string shortcut = block.Projection is { } proj ? _layers.Conv(x, proj, block.ProjectionNorm) : x;
        return _layers.Relu(_graph.AddNode("Add", [f, shortcut], block.Name + ".add"), block.Name);
    }
}
