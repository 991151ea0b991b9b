using EdgeVision.Core.Architecture;
using EdgeVision.Onnx.Graph;

namespace EdgeVision.Onnx.Zoo;

/// <summary>
/// Walks a <see cref="RegNetPlan"/>: every BN follows a convolution and folds into it; SE (Y blocks) uses its own
/// biased 1×1 convolutions as they are.
/// </summary>
internal sealed class RegNetGraphEmitter(LayerEmitter layers, RegNetPlan plan) : PlanGraphEmitter<RegNetPlan>(layers, plan)
{
    public override string EmitLogits(string input, string logitsName)
    {
        string x = Layers.Relu(Layers.Conv(input, Plan.StemConv, Plan.StemNorm, isStem: true), "stem");
        foreach (var block in Plan.Blocks) x = Block(block, x);
        return Layers.Classifier(x, Plan.Classifier, logitsName);
    }

    // relu(c(se(b(a(x)))) + (proj ? proj(x) : x))
    private string Block(RegNetBlockPlan block, string x)
    {
        string f = Layers.Relu(Layers.Conv(x, block.A, block.NormA), block.A.Name);
        f = Layers.Relu(Layers.Conv(f, block.B, block.NormB), block.B.Name);
        if (block.SqueezeExcitation is { } se)
            f = Layers.SqueezeExcite(f, se.Name, se.Fc1.Name, s => Layers.Conv(s, se.Fc1, null), h => Layers.Conv(h, se.Fc2, null));
        f = Layers.Conv(f, block.C, block.NormC);
        string shortcut = block.Projection is { } proj ? Layers.Conv(x, proj, block.ProjectionNorm) : x;
        return Layers.Relu(Graph.AddNode("Add", [f, shortcut], block.Name + ".add"), block.Name);
    }
}
